using System.ComponentModel;
using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Agents;

public sealed class AgentTurnTests
{
    [Description("Adds two numbers.")]
    private static int Add(int a, int b) => a + b;

    private static AIFunction AddTool => AIFunctionFactory.Create(Add, "add");

    [Fact]
    public async Task A_scripted_tool_call_is_invoked_and_its_result_goes_back_to_the_model()
    {
        var model = new ScriptedChatClient([ScriptedReply.Call("add", new { a = 2, b = 3 }), ScriptedReply.Say("2 + 3 = 5")]);
        var agent = new Agent("calc", model, "You add numbers.").WithTools(AddTool);

        var response = await agent.RunAsync("What is 2 + 3?");

        Assert.Equal("2 + 3 = 5", response.Text);
        var call = Assert.Single(response.ToolCalls);
        Assert.Equal(("add", ToolCallStatus.Succeeded, "5"), (call.Tool, call.Status, call.Result));
        var second = model.Requests[1];
        var result = second.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Equal("5", ToolResults.Format(result.Result));
        Assert.Equal(ChatRole.System, second[0].Role);
        Assert.Equal("You add numbers.", second[0].Text);
        Assert.All(response.Messages, m => Assert.Equal("calc", m.AuthorName));
        Assert.Equal([ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], response.Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task Usage_is_summed_over_the_model_calls_of_a_turn()
    {
        var model = new ScriptedChatClient([ScriptedReply.Call("add", new { a = 1, b = 1 }), ScriptedReply.Say("2")]);
        var agent = new Agent("calc", model, "You add numbers.").WithTools(AddTool);

        var response = await agent.RunAsync("1+1?");

        Assert.True(response.Usage.InputTokens > 0);
        Assert.True(response.Usage.OutputTokens > 0);
        Assert.Equal(response.Usage.InputTokens + response.Usage.OutputTokens, response.Usage.TotalTokens);
    }

    public static TheoryData<ScriptedToolCall, ToolCallStatus, string> BrokenCalls => new()
    {
        { new ScriptedToolCall("subtract", """{"a":1}"""), ToolCallStatus.UnknownTool, "Error: there is no tool named 'subtract'. Available tools: add." },
        { new ScriptedToolCall("add", """{"a": 1, "b": """), ToolCallStatus.InvalidArguments, "Error: the arguments for 'add' are not valid JSON" },
        { new ScriptedToolCall("add", """{"a": "one", "b": 2}"""), ToolCallStatus.InvalidArguments, "Error: the arguments for 'add' do not fit its parameters" },
    };

    [Theory]
    [MemberData(nameof(BrokenCalls))]
    public async Task A_broken_call_from_the_model_becomes_a_tool_error_the_model_can_read_not_an_exception(ScriptedToolCall call, ToolCallStatus status, string error)
    {
        var model = new ScriptedChatClient([ScriptedReply.Call(call), ScriptedReply.Say("sorry")]);
        var agent = new Agent("calc", model, "You add numbers.").WithTools(AddTool);

        var response = await agent.RunAsync("add");

        var record = Assert.Single(response.ToolCalls);
        Assert.Equal(status, record.Status);
        Assert.StartsWith(error, record.Result, StringComparison.Ordinal);
        var fedBack = model.Requests[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.StartsWith(error, ToolResults.Format(fedBack.Result), StringComparison.Ordinal);
        Assert.Equal("sorry", response.Text);
    }

    [Fact]
    public async Task A_tool_that_throws_is_reported_to_the_model_and_the_turn_goes_on()
    {
        var failing = AIFunctionFactory.Create(string () => throw new InvalidOperationException("the CRM is down"), "search");
        var model = new ScriptedChatClient([ScriptedReply.Call("search", new { }), ScriptedReply.Say("The CRM is down; try later.")]);
        var agent = new Agent("a", model, "x").WithTools(failing);

        var response = await agent.RunAsync("find");

        var record = Assert.Single(response.ToolCalls);
        Assert.Equal(ToolCallStatus.Failed, record.Status);
        Assert.Equal("Error: 'search' failed: the CRM is down", record.Result);
        Assert.Equal("The CRM is down; try later.", response.Text);
    }

    [Fact]
    public async Task The_turn_stops_calling_tools_at_the_round_limit_and_asks_for_an_answer()
    {
        var replies = Enumerable.Repeat(ScriptedReply.Call("add", new { a = 1, b = 1 }), 3).Append(ScriptedReply.Say("done"));
        var model = new ScriptedChatClient(replies);
        var agent = new Agent("calc", model, "x").WithTools(AddTool).WithMaxToolRounds(3);

        var response = await agent.RunAsync("loop");

        Assert.Equal(3, response.ToolCalls.Count);
        Assert.Equal("done", response.Text);
        var last = model.Requests[^1];
        Assert.Contains(last, m => m.Role == ChatRole.System && m.Text.Contains("limit of 3 rounds", StringComparison.Ordinal));
        Assert.Equal(0, model.Remaining);
    }

    [Fact]
    public async Task Cancellation_stops_a_turn_waiting_on_a_slow_model()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var model = new ScriptedChatClient([ScriptedReply.Say("late")], TimeSpan.FromMinutes(1), time);
        var agent = new Agent("slow", model, "x");
        using var cts = new CancellationTokenSource();

        var turn = agent.RunAsync("hello", cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => turn);
    }

    [Fact]
    public async Task Cancellation_reaches_the_tool_being_called()
    {
        var started = new TaskCompletionSource();
        var tool = AIFunctionFactory.Create(async (CancellationToken ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }, "wait");
        var model = new ScriptedChatClient([ScriptedReply.Call("wait", new { }), ScriptedReply.Say("unreachable")]);
        var agent = new Agent("a", model, "x").WithTools(tool);
        using var cts = new CancellationTokenSource();

        var turn = agent.RunAsync("go", cts.Token);
        await started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => turn);
        Assert.Equal(1, model.Remaining);
    }

    [Fact]
    public async Task A_handoff_call_ends_the_turn_with_the_target_and_note()
    {
        var model = new ScriptedChatClient([ScriptedReply.Call(Agent.HandoffToolName, new { to = "billing", note = "double charge" })]);
        var agent = new Agent("triage", model, "route");

        var response = await agent.RunAsync([new ChatMessage(ChatRole.User, "charged twice")],
            new AgentTurnOptions { HandoffTargets = [new HandoffTarget("billing", "Billing problems")] });

        Assert.Equal(new Handoff("billing", "double charge"), response.Handoff);
        Assert.Empty(response.ToolCalls);
        Assert.Single(model.Requests);
        Assert.Equal(0, model.Remaining);
        var result = response.Messages[^1].Contents.OfType<FunctionResultContent>().Single();
        Assert.Equal("Handed off to billing.", result.Result);
    }

    [Fact]
    public async Task A_handoff_to_an_unknown_agent_is_a_tool_error_and_the_agent_may_try_again()
    {
        var model = new ScriptedChatClient(
        [
            ScriptedReply.Call(Agent.HandoffToolName, new { to = "sales", note = "?" }),
            ScriptedReply.Call(Agent.HandoffToolName, new { to = "billing", note = "double charge" }),
        ]);
        var agent = new Agent("triage", model, "route");

        var response = await agent.RunAsync([new ChatMessage(ChatRole.User, "charged twice")],
            new AgentTurnOptions { HandoffTargets = [new HandoffTarget("billing", "Billing problems")] });

        Assert.Equal("billing", response.Handoff?.To);
        var error = response.Messages[1].Contents.OfType<FunctionResultContent>().Single();
        Assert.Equal("Error: there is no agent named 'sales' to hand off to. Choose one of: billing.", error.Result);
    }

    [Fact]
    public void Agent_names_and_tools_are_checked_when_the_agent_is_made()
    {
        var model = new ScriptedChatClient([]);
        Assert.Throws<ArgumentException>(() => new Agent("bad name", model, "x"));
        var agent = new Agent("a", model, "x").WithTools(AddTool);
        var duplicate = Assert.Throws<ArgumentException>(() => agent.WithTools(AddTool));
        Assert.Contains("two tools named 'add'", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_providers_add_system_messages_after_the_instructions()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("ok")]);
        var agent = new Agent("a", model, "instructions").WithContext(new FixedContext("Remember: the customer prefers phone calls."));

        await agent.RunAsync("hi");

        var request = Assert.Single(model.Requests);
        Assert.Equal(["instructions", "Remember: the customer prefers phone calls.", "hi"], request.Select(m => m.Text));
        Assert.Equal([ChatRole.System, ChatRole.System, ChatRole.User], request.Select(m => m.Role));
    }

    private sealed class FixedContext(string text) : IAgentContextProvider
    {
        public ValueTask<IReadOnlyList<ChatMessage>> ProvideAsync(AgentContextRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<ChatMessage>>([new ChatMessage(ChatRole.System, text)]);
    }

    [Fact]
    public async Task A_turn_s_chat_options_are_laid_over_the_agent_s_own_and_keep_what_they_do_not_say()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("ok")]);
        var agent = new Agent("tuned", model, "x").WithChatOptions(new ChatOptions { TopP = 0.5f, Seed = 7, Temperature = 0.9f, ModelId = "m-1" });

        await agent.RunAsync([new ChatMessage(ChatRole.User, "go")], new AgentTurnOptions { ChatOptions = new ChatOptions { Temperature = 0.1f, ResponseFormat = ChatResponseFormat.Json } });

        var sent = Assert.Single(model.Options)!;
        Assert.Equal((0.5f, 7L, 0.1f, "m-1"), (sent.TopP, sent.Seed, sent.Temperature, sent.ModelId));
        Assert.Same(ChatResponseFormat.Json, sent.ResponseFormat);
    }

    [Fact]
    public async Task A_tool_a_discovery_tool_offers_reaches_the_model_and_is_callable_from_the_next_round_of_that_turn_only()
    {
        var lookups = 0;
        var registry = new ToolRegistry().Add(
            AIFunctionFactory.Create((string invoiceId) => { lookups++; return "paid"; }, "lookup_invoice", "Look up an invoice."), t => t.Category("crm"));
        var model = new ScriptedChatClient([
            ScriptedReply.Call("find_tools", new { query = "invoice" }),
            ScriptedReply.Call("lookup_invoice", new { invoiceId = "INV-1" }),
            ScriptedReply.Say("It is paid."),
            ScriptedReply.Say("Hello again."),
        ]);
        var invoker = new GovernedToolInvoker(new GovernedToolOptions { Registry = registry, Permissions = new ToolPermissions().Grant("billing", "crm", "find_tools") });
        var agent = new Agent("billing", model, "x").WithTools(registry.CreateDiscoveryTool()).WithToolInvoker(invoker);

        var response = await agent.RunAsync("Is INV-1 paid?");
        await agent.RunAsync("Hi");

        Assert.Equal([ToolCallStatus.Succeeded, ToolCallStatus.Succeeded], response.ToolCalls.Select(c => c.Status));
        Assert.Equal(1, lookups);
        string[][] offered = [.. model.Options.Select(o => o!.Tools!.Select(t => t.Name).ToArray())];
        Assert.Equal([["find_tools"], ["find_tools", "lookup_invoice"], ["find_tools", "lookup_invoice"], ["find_tools"]], offered);
        // What the model was offered is the call's own list: the agent's tools stay as they were.
        Assert.Equal(["find_tools"], agent.Tools.Select(t => t.Name));
        Assert.NotSame(model.Options[0]!.Tools, model.Options[3]!.Tools);
    }

    [Fact]
    public async Task The_ambient_context_is_the_turn_s_while_it_runs_and_the_caller_s_again_after_it()
    {
        var model = new ContextProbe();
        var agent = new Agent("calc", model, "x");
        var outer = new AgentContext { Agent = "outer", RunId = "r-outer" };

        await agent.RunAsync("no run");
        using (AgentContext.Enter(outer))
        {
            await agent.RunAsync([new ChatMessage(ChatRole.User, "in a run")], new AgentTurnOptions { Context = new AgentContext { Agent = "calc", RunId = "r-1", Step = 2 } });
            Assert.Same(outer, AgentContext.Current);
        }

        Assert.Null(AgentContext.Current);
        Assert.Equal([("calc", ""), ("calc", "r-1")], model.Seen.Select(c => (c!.Agent, c.RunId)));
    }

    // A model that records the ambient context it is called in.
    private sealed class ContextProbe : IChatClient
    {
        public List<AgentContext?> Seen { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Seen.Add(AgentContext.Current);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
