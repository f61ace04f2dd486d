using Cadre.Agents;
using Cadre.Observability;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>What a tool call is given to run in: its caller and the stores the governed path writes to, passed with
/// the call rather than found through an agent's workspace.</summary>
public sealed class ToolCallContextTests
{
    private static AIFunction Send(Action? onSend = null) =>
        new ToolDescriptor { SideEffects = SideEffects.Irreversible }.Attach(AIFunctionFactory.Create((string to) =>
        {
            onSend?.Invoke();
            return $"sent to {to}";
        }, "send_email"));

    [Fact]
    public async Task A_call_without_an_agent_writes_to_the_stores_its_context_names_and_happens_once_per_key()
    {
        var ledger = new InMemoryToolLedger();
        var audit = new InMemoryAuditLog();
        var sends = 0;
        var context = new ToolCallContext { Agent = "operator", RunId = "r-9", Step = 2, Ledger = ledger, Audit = audit };
        var invoker = new GovernedToolInvoker();
        IReadOnlyList<AIFunction> tools = [Send(() => sends++)];

        var first = await invoker.InvokeAsync(new ToolCallRequest(context, ToolCalls.Call("send_email", """{"to":"a@b.c"}"""), tools, 0), CancellationToken.None);
        var again = await invoker.InvokeAsync(new ToolCallRequest(context, ToolCalls.Call("send_email", """{"to":"a@b.c"}"""), tools, 0), CancellationToken.None);

        Assert.Equal((ToolCallStatus.Succeeded, ToolCallStatus.Replayed, 1), (first.Status, again.Status, sends));
        Assert.Equal("sent to a@b.c", (await ledger.FindAsync("r-9/2/0"))?.Result);
        var entries = await audit.QueryAsync(new AuditQuery());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(("operator", "r-9", "r-9/2/0"), (e.Agent, e.RunId, e.Key)));
    }

    [Fact]
    public async Task An_agents_context_uses_its_workspaces_stores_unless_one_is_given_itself()
    {
        var workspace = new InMemoryWorkspace();
        var own = new InMemoryAuditLog();
        var context = new AgentContext { Agent = "mailer", RunId = "r-1", Step = 1, Workspace = workspace, Audit = own };

        var record = await new GovernedToolInvoker().InvokeAsync(
            new ToolCallRequest(context, ToolCalls.Call("send_email", """{"to":"a@b.c"}"""), [Send()], 0), CancellationToken.None);

        Assert.Equal(ToolCallStatus.Succeeded, record.Status);
        Assert.Same(workspace.Ledger, context.Ledger);
        Assert.NotNull(await workspace.Ledger.FindAsync("r-1/1/0"));
        Assert.Single(await own.QueryAsync(new AuditQuery()));
        Assert.Empty(await workspace.Audit.QueryAsync(new AuditQuery()));
    }

    [Fact]
    public async Task A_tool_learns_its_run_and_reports_progress_through_the_ambient_context_of_the_turn()
    {
        var progress = new List<string>();
        string? seen = null;
        var page = AIFunctionFactory.Create((int n) =>
        {
            var current = ToolCallContext.Current;
            seen = $"{current?.Agent} {current?.RunId}/{current?.Step}";
            current?.Progress?.Report($"page {n}");
            return "ok";
        }, "read_page");
        var model = new ScriptedChatClient([ScriptedReply.Call("read_page", new { n = 3 }), ScriptedReply.Say("Read.")]);
        var context = new AgentContext { Agent = "reader", RunId = "r-2", Step = 4, Progress = new Lines(progress) };

        await new Agent("reader", model, "Read.").WithTools(page).RunAsync([new ChatMessage(ChatRole.User, "read")], new AgentTurnOptions { Context = context });

        Assert.Equal("reader r-2/4", seen);
        Assert.Equal(["page 3"], progress);
        Assert.Null(CallerContext.Current);
    }

    /// <summary>Reports on the calling thread (unlike <see cref="Progress{T}"/>, which posts to a context).</summary>
    private sealed class Lines(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
