using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Testing;
using Cadre.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace Cadre.Tests.Resilience;

/// <summary>The fallback chain with degradation levels: which level serves, with which limits, and how it climbs
/// back.</summary>
public sealed class DegradingChatClientTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly EventLog _events = new();

    private ResilientChatClient Resilient(IChatClient model, string provider, bool breaker = false) => new(new ValidatingChatClient(model), new ResilienceOptions
    {
        Provider = provider,
        Time = _time,
        Retry = new RetryOptions { MaxRetries = 0 },
        Breaker = new BreakerOptions { Enabled = breaker, MinimumThroughput = 2, BreakDuration = TimeSpan.FromMinutes(5) },
    });

    private DegradingChatClient Chain(params DegradationLevel[] levels) =>
        new(levels, new DegradationOptions { Time = _time, Observer = _events, RecoveryInterval = TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task When_the_best_level_fails_the_next_answers_and_the_response_says_which_level_served()
    {
        var full = new ScriptedChatClient([ScriptedReply.Fail("overloaded", 503)]);
        var reduced = new ScriptedChatClient([ScriptedReply.Say("from the small model")]);
        using var chain = Chain(
            new DegradationLevel("full", Resilient(full, "openai:gpt-4o")) { Model = "openai:gpt-4o" },
            new DegradationLevel("reduced", Resilient(reduced, "openai:gpt-4o-mini")) { Model = "openai:gpt-4o-mini" });

        var response = await chain.GetResponseAsync("hi");

        Assert.Equal("from the small model", response.Text);
        Assert.Equal(new ServedLevel("reduced", 1, "openai:gpt-4o-mini"), ServedLevel.Of(response));
        Assert.Equal("reduced", chain.CurrentLevel?.Name);
        var change = Assert.Single(_events.Of<DegradationChanged>());
        Assert.True(change.IsDown);
        Assert.Equal("reduced", change.To.Name);
        Assert.Contains("503 overloaded", change.Reason);
    }

    [Fact]
    public async Task An_empty_reply_counts_as_a_failure_for_the_chain()
    {
        var full = new ScriptedChatClient([ScriptedReply.Say("   ")]);
        var recorded = new ScriptedChatClient([ScriptedReply.Say("recorded answer")]);
        using var chain = Chain(new DegradationLevel("full", Resilient(full, "a")), new DegradationLevel("recorded", Resilient(recorded, "b")));

        var response = await chain.GetResponseAsync("hi");

        Assert.Equal("recorded", ServedLevel.Of(response)!.Name);
        Assert.Contains("empty reply", _events.Of<DegradationChanged>().Single().Reason);
    }

    [Fact]
    public async Task A_reply_that_is_not_the_JSON_asked_for_counts_as_a_failure()
    {
        var full = new ScriptedChatClient([ScriptedReply.Say("Sure! The answer is 42.")]);
        var reduced = new ScriptedChatClient([ScriptedReply.Say("{\"answer\": 42}")]);
        using var chain = Chain(new DegradationLevel("full", Resilient(full, "a")), new DegradationLevel("reduced", Resilient(reduced, "b")));

        var response = await chain.GetResponseAsync("hi", new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        Assert.Equal("{\"answer\": 42}", response.Text);
    }

    [Fact]
    public async Task The_chain_passes_over_a_failed_level_then_climbs_back_when_it_recovers()
    {
        var full = new ScriptedChatClient([ScriptedReply.Fail("down", 500), ScriptedReply.Say("full again")]);
        var reduced = new ScriptedChatClient([ScriptedReply.Say("reduced 1"), ScriptedReply.Say("reduced 2")]);
        using var chain = Chain(new DegradationLevel("full", Resilient(full, "a")), new DegradationLevel("reduced", Resilient(reduced, "b")));

        Assert.Equal("reduced 1", (await chain.GetResponseAsync("1")).Text);
        Assert.Equal("reduced 2", (await chain.GetResponseAsync("2")).Text);
        Assert.Single(full.Requests); // passed over while recovering

        _time.Advance(TimeSpan.FromSeconds(30));
        var back = await chain.GetResponseAsync("3");

        Assert.Equal("full again", back.Text);
        Assert.Equal("full", chain.CurrentLevel!.Name);
        var changes = _events.Of<DegradationChanged>();
        Assert.Equal(["reduced", "full"], changes.Select(c => c.To.Name));
        Assert.False(changes[1].IsDown);
        Assert.Contains("recovered", changes[1].Reason);
    }

    [Fact]
    public async Task A_level_whose_circuit_is_open_is_skipped_without_being_called()
    {
        var full = new ScriptedChatClient([ScriptedReply.Fail("down", 503), ScriptedReply.Fail("down", 503), ScriptedReply.Say("never")]);
        var reduced = new ScriptedChatClient(Enumerable.Range(1, 5).Select(i => ScriptedReply.Say($"r{i}")));
        var fullClient = Resilient(full, "a", breaker: true);
        using var chain = new DegradingChatClient(
            [new DegradationLevel("full", fullClient), new DegradationLevel("reduced", Resilient(reduced, "b"))],
            new DegradationOptions { Time = _time, RecoveryInterval = TimeSpan.Zero });

        await chain.GetResponseAsync("1");
        await chain.GetResponseAsync("2");
        Assert.Equal(CircuitState.Open, fullClient.CircuitState);
        await chain.GetResponseAsync("3");

        Assert.Equal(2, full.Requests.Count);
        Assert.Equal(CircuitState.Open, chain.Health[0].Circuit);
    }

    [Fact]
    public async Task Each_level_applies_its_limits_no_tools_capped_tokens_and_a_note()
    {
        var minimal = new ScriptedChatClient([ScriptedReply.Say("best effort")]);
        using var chain = Chain(new DegradationLevel("minimal", minimal) { ToolsEnabled = false, MaxOutputTokens = 200 });
        var tool = AIFunctionFactory.Create(() => "x", "lookup");

        await chain.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are helpful."), new ChatMessage(ChatRole.User, "hi")],
            new ChatOptions { Tools = [tool], MaxOutputTokens = 1000 });

        var sent = Assert.Single(minimal.Requests);
        Assert.Equal(ChatRole.System, sent[1].Role);
        Assert.Equal(DegradationLevel.NoToolsNote, sent[1].Text);
        Assert.Equal(ChatRole.User, sent[2].Role);
    }

    [Fact]
    public async Task The_options_a_level_sends_have_no_tools_and_at_most_its_tokens()
    {
        ChatOptions? seen = null;
        var inner = new ScriptedChatClient([ScriptedReply.Say("ok")]);
        using var spy = new ChatClientBuilder(inner).Use((messages, options, next, token) =>
        {
            seen = options;
            return next(messages, options, token);
        }).Build();
        using var chain = Chain(new DegradationLevel("minimal", spy) { ToolsEnabled = false, MaxOutputTokens = 200 });

        await chain.GetResponseAsync("hi", new ChatOptions { Tools = [AIFunctionFactory.Create(() => "x", "lookup")], MaxOutputTokens = 1000 });

        Assert.Null(seen!.Tools);
        Assert.Equal(200, seen.MaxOutputTokens);
    }

    [Fact]
    public async Task When_every_level_fails_the_error_says_what_each_tried()
    {
        var full = new ScriptedChatClient([ScriptedReply.Fail("down", 503)]);
        var recorded = new ScriptedChatClient([ScriptedReply.Fail("no recording", 404)]);
        using var chain = Chain(new DegradationLevel("full", Resilient(full, "openai:x")) { Model = "openai:x" }, new DegradationLevel("recorded", Resilient(recorded, "replay:y")) { Model = "replay:y" });

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => chain.GetResponseAsync("hi"));

        Assert.Contains("full (openai:x): 503 down", error.Message);
        Assert.Contains("recorded (replay:y): 404 no recording", error.Message);
        Assert.Equal(["full", "recorded"], error.Attempts.Select(a => a.Level));
        Assert.True(DeadLetters.IsExhaustion(error));
    }

    [Fact]
    public async Task A_call_cancelled_by_its_caller_does_not_fall_to_the_next_level()
    {
        var full = new ScriptedChatClient([new ScriptedReply { Text = "slow", Delay = TimeSpan.FromMinutes(1) }], time: _time);
        var reduced = new ScriptedChatClient([ScriptedReply.Say("never")]);
        using var chain = Chain(new DegradationLevel("full", full), new DegradationLevel("reduced", reduced));
        using var cancel = new CancellationTokenSource();

        var call = chain.GetResponseAsync("hi", cancellationToken: cancel.Token);
        await FakeClock.Eventually(() => full.Requests.Count == 1, "the call to start");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(reduced.Requests);
    }

    [Fact]
    public async Task An_agent_turn_reports_the_worst_level_that_served_it()
    {
        var full = new ScriptedChatClient([ScriptedReply.Call("lookup", new { }), ScriptedReply.Fail("down", 503)]);
        var reduced = new ScriptedChatClient([ScriptedReply.Say("done without the big model")]);
        using var chain = Chain(new DegradationLevel("full", Resilient(full, "a")), new DegradationLevel("reduced", Resilient(reduced, "b")));
        var agent = new Agent("helper", chain, "Help.").WithTools(AIFunctionFactory.Create(() => "found", "lookup"));

        var response = await agent.RunAsync("go");

        Assert.Equal("done without the big model", response.Text);
        Assert.Equal("reduced", response.Level!.Name);
        Assert.True(response.Level.IsDegraded);
    }
}
