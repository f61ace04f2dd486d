using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Workflows;

/// <summary>A task that exhausts its retries and fallbacks is dead-lettered with its inputs, attempts and errors; a
/// mistake in the workflow is not.</summary>
public sealed class DeadLetterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private DegradingChatClient FailingChain() => new(
    [
        new DegradationLevel("full", Protected(new ScriptedChatClient(Enumerable.Repeat(ScriptedReply.Fail("overloaded", 503), 3)), "openai:big")) { Model = "openai:big" },
        new DegradationLevel("recorded", Protected(new ScriptedChatClient(Enumerable.Repeat(ScriptedReply.Fail("gateway", 502), 3)), "replay:x")) { Model = "replay:x" },
    ], new DegradationOptions { Time = _time });

    private ResilientChatClient Protected(IChatClient model, string provider) => new(model, new ResilienceOptions
    {
        Provider = provider,
        Time = _time,
        Retry = new RetryOptions { MaxRetries = 2, UseJitter = false },
        Breaker = new BreakerOptions { Enabled = false },
    });

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_task_whose_every_model_fails_is_dead_lettered_with_inputs_attempts_and_errors_and_can_be_retried(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var events = new EventLog();
        var triage = new Agent("triage", new ScriptedChatClient([ScriptedReply.Say("routed")]), "Route.");
        var billing = new Agent("billing", FailingChain(), "Resolve billing.");
        var options = new RunOptions { Time = _time, Observer = events, Metadata = new Dictionary<string, string> { ["spec"] = "desk.yaml" } };

        var run = await _time.DriveAsync(Workflow.Sequential(triage, billing).RunAsync("refund INV-1", workspace, options));

        Assert.Equal(RunStatus.DeadLettered, run.Status);
        var letter = Assert.Single(await workspace.DeadLetters.ListAsync(DeadLetterStatus.Pending));
        Assert.Contains(letter.Id, run.Error);
        Assert.Equal((run.Id, "sequential", "refund INV-1", 2, "billing"), (letter.RunId, letter.Workflow, letter.Task, letter.Step, letter.Agent));
        Assert.Equal(nameof(ModelUnavailableException), letter.ErrorType);
        Assert.Contains("openai:big", letter.Error);
        Assert.Equal(("refund INV-1", "desk.yaml"), (letter.Inputs["task"], letter.Inputs["spec"]));
        Assert.Equal(3, letter.Attempts.Count(a => a.Provider == "openai:big" && a.Attempt > 0 && a.Level is null));
        Assert.Equal(3, letter.Attempts.Count(a => a.Provider == "replay:x" && a.Level is null));
        Assert.Equal(letter.Id, Assert.Single(events.Of<TaskDeadLettered>()).Letter.Id);
        Assert.Equal(letter.Id, (await workspace.DeadLetters.GetAsync(letter.Id[..6]))!.Id);

        // The checkpoint after the first step is intact: a retry resumes from it.
        var fixedBilling = new Agent("billing", new ScriptedChatClient([ScriptedReply.Say("refunded")]), "Resolve billing.");
        var retried = await Workflow.Sequential(triage, fixedBilling).ResumeAsync(run.Id, workspace, new RunOptions { Time = _time });
        Assert.Equal(RunStatus.Completed, retried.Status);
        Assert.Equal(["triage", "billing"], retried.Steps.Select(s => s.Agent));
        // Resuming the run resolved its dead letter, so the queue no longer offers it.
        Assert.Empty(await workspace.DeadLetters.ListAsync(DeadLetterStatus.Pending));
        Assert.Equal((DeadLetterStatus.Retried, "the run was resumed"), ((await workspace.DeadLetters.GetAsync(letter.Id))!.Status, (await workspace.DeadLetters.GetAsync(letter.Id))!.Resolution));
        Assert.True(await workspace.DeadLetters.ResolveAsync(letter.Id, DeadLetterStatus.Retried, "retried: completed", _time.GetUtcNow()));
        Assert.Empty(await workspace.DeadLetters.ListAsync(DeadLetterStatus.Pending));
        Assert.Equal("retried: completed", (await workspace.DeadLetters.GetAsync(letter.Id))!.Resolution);
    }

    [Fact]
    public async Task A_mistake_in_the_workflow_fails_the_run_without_a_dead_letter()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var bouncing = new ScriptedChatClient(Enumerable.Range(0, 4).Select(_ => ScriptedReply.Call("handoff", new { to = "b", note = "yours" })));
        var back = new ScriptedChatClient(Enumerable.Range(0, 4).Select(_ => ScriptedReply.Call("handoff", new { to = "a", note = "no, yours" })));
        var workflow = new HandoffWorkflow(new Agent("a", bouncing, "A."), [new Agent("b", back, "B.")]) { MaxHandoffs = 2 };

        var run = await workflow.RunAsync("ping-pong", workspace);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("limit of 2 handoffs", run.Error);
        Assert.Empty(await workspace.DeadLetters.ListAsync());
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task The_queue_lists_by_status_newest_first_and_finds_by_prefix(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var store = workspace.DeadLetters;
        DeadLetter Letter(string id, int minute) => new()
        {
            Id = id,
            RunId = "r" + id,
            Workflow = "handoff",
            Task = "t",
            Error = "e",
            CreatedAt = new DateTimeOffset(2026, 1, 1, 0, minute, 0, TimeSpan.Zero),
            Attempts = [new CallAttempt(DateTimeOffset.UnixEpoch, "openai:x", "full", 1, "503 down", "ModelCallException")],
        };
        await store.AddAsync(Letter("dl-aaa1", 1));
        await store.AddAsync(Letter("dl-aaa2", 2));
        await store.AddAsync(Letter("dl-bbb3", 3));
        await store.ResolveAsync("dl-aaa1", DeadLetterStatus.Discarded, "duplicate", DateTimeOffset.UnixEpoch);

        Assert.Equal(["dl-bbb3", "dl-aaa2", "dl-aaa1"], (await store.ListAsync()).Select(l => l.Id));
        Assert.Equal(["dl-bbb3", "dl-aaa2"], (await store.ListAsync(DeadLetterStatus.Pending)).Select(l => l.Id));
        Assert.Equal("dl-bbb3", (await store.GetAsync("dl-b"))!.Id);
        Assert.Null(await store.GetAsync("dl-aaa"));
        Assert.Equal("503 down", (await store.GetAsync("dl-bbb3"))!.Attempts.Single().Error);
        Assert.False(await store.ResolveAsync("dl-none", DeadLetterStatus.Retried, "x", DateTimeOffset.UnixEpoch));
    }
}
