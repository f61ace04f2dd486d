using Cadre.Agents;
using Cadre.Testing;
using Cadre.Tools;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>How an agent carries out the tool calls of one model reply: through the governed path, concurrently
/// where the tools allow, results in the model's order, with deterministic idempotency keys.</summary>
public sealed class AgentToolCallTests
{
    private sealed class OptionsRecorder(IChatClient inner) : DelegatingChatClient(inner)
    {
        public List<List<string>> ToolsOffered { get; } = [];

        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            ToolsOffered.Add(options?.Tools?.Select(t => t.Name).ToList() ?? []);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }

    [Fact]
    public async Task The_calls_of_one_reply_run_concurrently_and_their_results_keep_the_models_order()
    {
        // Each tool waits until the other has started: they can only finish if they run at the same time.
        var aStarted = new TaskCompletionSource();
        var bStarted = new TaskCompletionSource();
        var a = AIFunctionFactory.Create(async () => { aStarted.SetResult(); await bStarted.Task.WaitAsync(TimeSpan.FromSeconds(10)); return "A"; }, "tool_a");
        var b = AIFunctionFactory.Create(async () => { bStarted.SetResult(); await aStarted.Task.WaitAsync(TimeSpan.FromSeconds(10)); return "B"; }, "tool_b");
        var model = new ScriptedChatClient([ScriptedReply.Call(new ScriptedToolCall("tool_b"), new ScriptedToolCall("tool_a")), ScriptedReply.Say("done")]);
        var agent = new Agent("worker", model, "Work.").WithTools(a, b);

        var response = await agent.RunAsync("go");

        Assert.Equal(["tool_b", "tool_a"], response.ToolCalls.Select(c => c.Tool));
        var results = response.Messages.Single(m => m.Role == ChatRole.Tool).Contents.OfType<FunctionResultContent>().ToList();
        Assert.Equal(["call_1_1", "call_1_2"], results.Select(r => r.CallId));
        Assert.Equal(["B", "A"], results.Select(r => r.Result as string));
    }

    [Fact]
    public async Task Exclusive_tools_called_together_run_one_after_the_other()
    {
        var inside = 0;
        var most = 0;
        var tool = new ToolDescriptor { Exclusive = true }.Attach(AIFunctionFactory.Create(async (int n) =>
        {
            most = Math.Max(most, Interlocked.Increment(ref inside));
            await Task.Yield();
            await Task.Delay(20);
            Interlocked.Decrement(ref inside);
            return n;
        }, "print_label"));
        var model = new ScriptedChatClient([
            ScriptedReply.Call(ScriptedToolCall.With("print_label", new { n = 1 }), ScriptedToolCall.With("print_label", new { n = 2 }), ScriptedToolCall.With("print_label", new { n = 3 })),
            ScriptedReply.Say("printed")]);

        var response = await new Agent("clerk", model, "Print.").WithTools(tool).RunAsync("print three");

        Assert.All(response.ToolCalls, c => Assert.Equal(ToolCallStatus.Succeeded, c.Status));
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task Idempotency_keys_follow_the_models_order_not_the_finishing_order_and_a_resumed_step_replays_them()
    {
        await using var workspace = new InMemoryWorkspace();
        var sent = new List<string>();
        var send = new ToolDescriptor { SideEffects = SideEffects.Irreversible }.Attach(AIFunctionFactory.Create(async (string to) =>
        {
            await Task.Delay(to == "first@x.y" ? 30 : 0);
            lock (sent)
            {
                sent.Add(to);
            }

            return $"sent to {to}";
        }, "send_email"));
        IChatClient Script() => new ScriptedChatClient([
            ScriptedReply.Call(ScriptedToolCall.With("send_email", new { to = "first@x.y" }), ScriptedToolCall.With("send_email", new { to = "second@x.y" })),
            ScriptedReply.Say("sent both")]);
        var context = new AgentContext { Agent = "mailer", RunId = "r-1", Step = 1, Workspace = workspace };

        await new Agent("mailer", Script(), "Mail.").WithTools(send).RunAsync([new ChatMessage(ChatRole.User, "mail")], new AgentTurnOptions { Context = context });
        var replay = await new Agent("mailer", Script(), "Mail.").WithTools(send).RunAsync([new ChatMessage(ChatRole.User, "mail")], new AgentTurnOptions { Context = context });

        Assert.Contains("first@x.y", (await workspace.Ledger.FindAsync("r-1/1/0"))!.Arguments);
        Assert.Contains("second@x.y", (await workspace.Ledger.FindAsync("r-1/1/1"))!.Arguments);
        Assert.Equal(2, sent.Count);
        Assert.All(replay.ToolCalls, c => Assert.Equal(ToolCallStatus.Replayed, c.Status));
    }

    [Fact]
    public async Task A_discovered_tool_is_offered_to_the_model_for_the_rest_of_the_turn()
    {
        var registry = new ToolRegistry()
            .Add(AIFunctionFactory.Create((string invoiceId) => $"invoice {invoiceId}: paid", "lookup_invoice", "Look up an invoice."), t => t.Category("crm"))
            .Add(AIFunctionFactory.Create((string to) => "sent", "send_email", "Send an email."), t => t.Category("email"));
        var model = new OptionsRecorder(new ScriptedChatClient([
            ScriptedReply.Call("find_tools", new { query = "invoice" }),
            ScriptedReply.Call("lookup_invoice", new { invoiceId = "INV-1" }),
            ScriptedReply.Say("INV-1 is paid.")]));
        var invoker = new GovernedToolInvoker(new GovernedToolOptions { Registry = registry, Permissions = new ToolPermissions().Grant("billing", "crm", "find_tools") });
        var agent = new Agent("billing", model, "Help.").WithTools(registry.CreateDiscoveryTool()).WithToolInvoker(invoker);

        var response = await agent.RunAsync("Is INV-1 paid?");

        Assert.Equal(["find_tools"], model.ToolsOffered[0]);
        Assert.Equal(["find_tools", "lookup_invoice"], model.ToolsOffered[1]);
        Assert.Equal(ToolCallStatus.Succeeded, response.ToolCalls[1].Status);
        Assert.Equal("invoice INV-1: paid", response.ToolCalls[1].Result);
    }

    [Fact]
    public async Task By_default_an_agent_cannot_call_a_tool_that_requires_approval_and_is_told_so()
    {
        var send = new ToolDescriptor { RequiresApproval = true }.Attach(AIFunctionFactory.Create((string to) => "sent", "send_email"));
        var model = new ScriptedChatClient([ScriptedReply.Call("send_email", new { to = "a@b.c" }), ScriptedReply.Say("I could not send it.")]);

        var response = await new Agent("mailer", model, "Mail.").WithTools(send).RunAsync("mail");

        var call = Assert.Single(response.ToolCalls);
        Assert.Equal(ToolCallStatus.Denied, call.Status);
        Assert.Contains("no approver is configured", call.Result);
        Assert.Equal("I could not send it.", response.Text);
    }

    [Fact]
    public async Task A_workflow_run_audits_every_tool_call_in_its_workspace()
    {
        await using var workspace = new InMemoryWorkspace();
        var lookup = AIFunctionFactory.Create((string invoiceId) => "paid", "lookup_invoice");
        var model = new ScriptedChatClient([ScriptedReply.Call("lookup_invoice", new { invoiceId = "INV-1" }), ScriptedReply.Call("lookup_invoice", new { invoiceId = 7 }), ScriptedReply.Say("paid")]);

        var run = await Workflow.Sequential(new Agent("billing", model, "Check.").WithTools(lookup)).RunAsync("Is INV-1 paid?", workspace);

        var audit = await workspace.Audit.QueryAsync(new AuditQuery { RunId = run.Id });
        Assert.Equal([ToolCallStatus.Succeeded, ToolCallStatus.InvalidArguments], audit.Select(e => e.Status));
        Assert.Equal([$"{run.Id}/1/0", $"{run.Id}/1/1"], audit.Select(e => e.Key));
    }
}
