using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Testing;
using Cadre.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using static Cadre.Tests.Support.FakeClock;

namespace Cadre.Tests.Resilience;

/// <summary>The resilient client: which failures it retries, how long it waits, when its circuit opens.</summary>
public sealed class ResilientChatClientTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly EventLog _events = new();

    private ResilienceOptions Options(int retries = 3, bool breaker = false, TimeSpan? timeout = null) => new()
    {
        Provider = "test:model",
        Time = _time,
        Observer = _events,
        AttemptTimeout = timeout ?? TimeSpan.FromSeconds(30),
        Retry = new RetryOptions { MaxRetries = retries, BaseDelay = TimeSpan.FromSeconds(1), UseJitter = false },
        Breaker = new BreakerOptions { Enabled = breaker, MinimumThroughput = 2, FailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(30) },
    };

    [Fact]
    public async Task A_503_is_retried_with_exponential_backoff_until_the_model_answers()
    {
        var model = new ScriptedChatClient([ScriptedReply.Fail("busy", 503), ScriptedReply.Fail("busy", 503), ScriptedReply.Say("hello")]);
        using var client = new ResilientChatClient(model, Options());

        var call = client.GetResponseAsync("hi");
        await Eventually(() => model.Requests.Count == 1, "the first attempt");
        _time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(20);
        Assert.Single(model.Requests);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually(() => model.Requests.Count == 2, "the second attempt after 1 s");
        _time.Advance(TimeSpan.FromSeconds(2));
        var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("hello", response.Text);
        Assert.Equal(3, model.Requests.Count);
        var retries = _events.Of<ModelCallRetrying>();
        Assert.Equal([1, 2], retries.Select(r => r.Attempt));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], retries.Select(r => r.Delay));
        Assert.All(retries, r => Assert.Equal("test:model", r.Provider));
        Assert.Contains("503", retries[0].Error);
    }

    [Fact]
    public async Task A_chaos_seed_makes_the_jittered_backoff_delays_repeat()
    {
        async Task<IReadOnlyList<TimeSpan>> DelaysAsync(int seed)
        {
            var time = new FakeTimeProvider();
            var events = new EventLog();
            var model = new ScriptedChatClient([ScriptedReply.Fail("busy", 503), ScriptedReply.Fail("busy", 503), ScriptedReply.Say("hello")]);
            var jitter = new Testing.Chaos(new ChaosOptions { Seed = seed }).Jitter!;
            using var client = new ResilientChatClient(model, Options() with
            {
                Time = time,
                Observer = events,
                Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromSeconds(1), UseJitter = true, Randomizer = jitter },
            });
            var call = client.GetResponseAsync("hi");
            while (!call.IsCompleted)
            {
                await Task.Delay(5);
                time.Advance(TimeSpan.FromSeconds(1));
            }

            Assert.Equal("hello", (await call).Text);
            return events.Of<ModelCallRetrying>().Select(r => r.Delay).ToList();
        }

        var first = await DelaysAsync(7);
        var again = await DelaysAsync(7);
        var other = await DelaysAsync(8);

        Assert.Equal(2, first.Count);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.DoesNotContain(TimeSpan.FromSeconds(1), first); // jittered, not the bare backoff
    }

    [Fact]
    public async Task Retry_After_is_waited_for_instead_of_the_backoff()
    {
        var model = new ScriptedChatClient([new ScriptedReply { Error = "slow down", StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(7) }, ScriptedReply.Say("ok")]);
        using var client = new ResilientChatClient(model, Options());

        var call = client.GetResponseAsync("hi");
        await Eventually(() => model.Requests.Count == 1, "the first attempt");
        _time.Advance(TimeSpan.FromSeconds(6.9));
        await Task.Delay(20);
        Assert.Single(model.Requests);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal("ok", (await call.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(_events.Of<ModelCallRetrying>()).Delay);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_limit_fails_at_once_so_a_fallback_can_serve()
    {
        var model = new ScriptedChatClient([new ScriptedReply { Error = "come back tomorrow", StatusCode = 429, RetryAfter = TimeSpan.FromHours(1) }, ScriptedReply.Say("never")]);
        using var client = new ResilientChatClient(model, Options());

        var error = await Assert.ThrowsAsync<ModelCallException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Single(model.Requests);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Client_errors_are_not_retried(int status)
    {
        var model = new ScriptedChatClient([ScriptedReply.Fail("bad request", status), ScriptedReply.Say("never")]);
        using var client = new ResilientChatClient(model, Options());

        var error = await Assert.ThrowsAsync<ModelCallException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(status, (int)error.StatusCode!);
        Assert.Single(model.Requests);
        Assert.Empty(_events.Of<ModelCallRetrying>());
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Transient_statuses_are_retried(int status)
    {
        var model = new ScriptedChatClient([ScriptedReply.Fail("flaky", status), ScriptedReply.Say("ok")]);
        using var client = new ResilientChatClient(model, Options());

        var response = await _time.DriveAsync(client.GetResponseAsync("hi"));

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, model.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_takes_too_long_times_out_and_is_retried()
    {
        var model = new ScriptedChatClient([new ScriptedReply { Text = "too late", Delay = TimeSpan.FromMinutes(10) }, ScriptedReply.Say("in time")], time: _time);
        using var client = new ResilientChatClient(model, Options(timeout: TimeSpan.FromSeconds(10)));

        var response = await _time.DriveAsync(client.GetResponseAsync("hi"), TimeSpan.FromSeconds(1));

        Assert.Equal("in time", response.Text);
        Assert.Contains("timed out", Assert.Single(_events.Of<ModelCallRetrying>()).Error);
    }

    [Fact]
    public async Task An_empty_reply_is_a_failure_that_is_retried()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say(""), ScriptedReply.Say("something")]);
        using var client = new ResilientChatClient(new ValidatingChatClient(model), Options());

        var response = await _time.DriveAsync(client.GetResponseAsync("hi"));

        Assert.Equal("something", response.Text);
        Assert.Contains("empty reply", Assert.Single(_events.Of<ModelCallRetrying>()).Error);
    }

    [Fact]
    public async Task When_retries_run_out_the_last_failure_is_thrown_and_every_attempt_is_logged()
    {
        var model = new ScriptedChatClient(Enumerable.Repeat(ScriptedReply.Fail("down", 503), 3));
        using var client = new ResilientChatClient(model, Options(retries: 2));
        using var log = AttemptLog.Start();

        await Assert.ThrowsAsync<ModelCallException>(() => _time.DriveAsync(client.GetResponseAsync("hi")));

        Assert.Equal(3, model.Requests.Count);
        Assert.Equal([1, 2, 3], log.Attempts.Select(a => a.Attempt));
        Assert.All(log.Attempts, a => Assert.Equal("test:model", a.Provider));
    }

    [Fact]
    public async Task The_circuit_opens_after_failures_refuses_calls_then_lets_one_through_and_closes()
    {
        var model = new ScriptedChatClient([ScriptedReply.Fail("down", 503), ScriptedReply.Fail("down", 503), ScriptedReply.Say("back")]);
        using var client = new ResilientChatClient(model, Options(retries: 0, breaker: true));

        await Assert.ThrowsAsync<ModelCallException>(() => client.GetResponseAsync("1"));
        await Assert.ThrowsAsync<ModelCallException>(() => client.GetResponseAsync("2"));
        Assert.Equal(CircuitState.Open, client.CircuitState);

        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("3"));
        Assert.Equal(2, model.Requests.Count);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("back", (await client.GetResponseAsync("4")).Text);
        Assert.Equal(CircuitState.Closed, client.CircuitState);
        Assert.Equal([CircuitState.Open, CircuitState.HalfOpen, CircuitState.Closed], _events.Of<CircuitStateChanged>().Select(e => e.State));
        Assert.Contains("503", _events.Of<CircuitStateChanged>()[0].Reason);
    }

    [Fact]
    public async Task Clients_of_the_same_provider_share_its_circuit()
    {
        var circuits = new ProviderCircuits();
        var failing = new ScriptedChatClient([ScriptedReply.Fail("down", 503), ScriptedReply.Fail("down", 503)]);
        var other = new ScriptedChatClient([ScriptedReply.Say("unused")]);
        using var first = new ResilientChatClient(failing, Options(retries: 0, breaker: true) with { Circuits = circuits });
        using var second = new ResilientChatClient(other, Options(retries: 0, breaker: true) with { Circuits = circuits });

        await Assert.ThrowsAsync<ModelCallException>(() => first.GetResponseAsync("1"));
        await Assert.ThrowsAsync<ModelCallException>(() => first.GetResponseAsync("2"));

        await Assert.ThrowsAsync<BrokenCircuitException>(() => second.GetResponseAsync("3"));
        Assert.Empty(other.Requests);
        Assert.Equal(CircuitState.Open, circuits.StateOf("test:model"));
    }

    [Fact]
    public async Task Client_errors_do_not_open_the_circuit()
    {
        var model = new ScriptedChatClient([ScriptedReply.Fail("bad", 400), ScriptedReply.Fail("bad", 400), ScriptedReply.Fail("bad", 400), ScriptedReply.Say("fine")]);
        using var client = new ResilientChatClient(model, Options(retries: 0, breaker: true));

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<ModelCallException>(() => client.GetResponseAsync("x"));
        }

        Assert.Equal(CircuitState.Closed, client.CircuitState);
        Assert.Equal("fine", (await client.GetResponseAsync("x")).Text);
    }

    [Fact]
    public async Task A_call_cancelled_by_its_caller_is_not_retried()
    {
        var model = new ScriptedChatClient([new ScriptedReply { Text = "slow", Delay = TimeSpan.FromMinutes(1) }, ScriptedReply.Say("never")], time: _time);
        using var client = new ResilientChatClient(model, Options());
        using var cancel = new CancellationTokenSource();

        var call = client.GetResponseAsync("hi", cancellationToken: cancel.Token);
        await Eventually(() => model.Requests.Count == 1, "the call to start");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(model.Requests);
    }

    [Fact]
    public async Task A_stream_is_retried_until_its_first_update_arrives()
    {
        var model = new ScriptedChatClient([ScriptedReply.Fail("down", 503), ScriptedReply.Say("streamed")]);
        using var client = new ResilientChatClient(model, Options());

        var updates = await _time.DriveAsync(Collect(client.GetStreamingResponseAsync("hi")));

        Assert.Equal("streamed", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(2, model.Requests.Count);
    }

    [Fact]
    public async Task Inside_a_run_retries_are_reported_to_the_run_with_the_calling_agent()
    {
        var runEvents = new EventLog();
        var model = new ScriptedChatClient([ScriptedReply.Fail("down", 502), ScriptedReply.Say("ok")]);
        using var client = new ResilientChatClient(model, Options() with { Observer = null });
        using (AgentContext.Enter(new AgentContext { Agent = "billing", RunId = "r1", Step = 2, Observer = runEvents, Time = _time }))
        {
            await _time.DriveAsync(client.GetResponseAsync("hi"));
        }

        var retry = Assert.Single(runEvents.Of<ModelCallRetrying>());
        Assert.Equal(("r1", "billing"), (retry.RunId, retry.Agent));
    }

    [Fact]
    public void The_builder_extension_composes_it_with_other_decorators()
    {
        using var client = new ScriptedChatClient([ScriptedReply.Say("x")]).AsBuilder()
            .UseResilience(Options())
            .UseResponseValidation()
            .Build();

        Assert.NotNull(client.GetService<ResilientChatClient>());
        Assert.NotNull(client.GetService<ValidatingChatClient>());
    }

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in stream)
        {
            list.Add(update);
        }

        return list;
    }
}
