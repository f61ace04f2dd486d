using Cadre.Agents;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Observability;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Memory;

/// <summary>Every workflow run becomes an episode; later runs start with the lessons of similar ones.</summary>
public sealed class EpisodeRecorderTests
{
    private static readonly MemoryScope Acme = new("acme");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryWorkspace _workspace = new();
    private readonly EpisodicMemory _episodes;
    private readonly List<string> _notices = [];

    public EpisodeRecorderTests()
    {
        _episodes = new EpisodicMemory(new InMemoryEpisodeStore(), time: _time);
    }

    private RunOptions Options(params IRunHook[] hooks) => new()
    {
        Time = _time,
        Hooks = hooks,
        Observer = RunObserver.From(e => { if (e is RunNotice n) { _notices.Add(n.Text); } }),
    };

    private static AIFunction Tool(string name) => AIFunctionFactory.Create(() => "ok", name);

    private (Agent Triage, Agent Billing, Agent Escalation) Agents(ScriptedChatClient model) =>
        (new Agent("triage", model, "Route.").WithTools(Tool("search_customer")),
         new Agent("billing", model, "Resolve billing.").WithTools(Tool("lookup_invoice")),
         new Agent("escalation", model, "Escalate."));

    [Fact]
    public async Task A_finished_run_is_recorded_with_its_agents_steps_outcome_duration_usage_cost_and_the_models_lessons()
    {
        var model = new ScriptedChatClient(
        [
            new ScriptedReply { Agent = "triage", ToolCalls = [new("search_customer")] },
            new ScriptedReply { Agent = "triage", ToolCalls = [ScriptedToolCall.With("handoff", new { to = "billing", note = "duplicate charge" })] },
            new ScriptedReply { Agent = "billing", ToolCalls = [new("lookup_invoice")], Delay = TimeSpan.Zero },
            new ScriptedReply { Agent = "billing", Text = "Refund opened." },
            ScriptedReply.Say("""{"taskType":"billing/duplicate-charge","lessons":["Look up the invoice before opening a refund.","Quote the ticket id to the customer."]}"""),
        ]);
        var (triage, billing, escalation) = Agents(model);
        var recorder = new EpisodeRecorder(_episodes, Acme, new EpisodeRecorderOptions { Model = model, InputTokenPrice = 1m, OutputTokenPrice = 4m });

        var run = await Workflow.Handoff(triage, billing, escalation).RunAsync("john@example.com was charged twice", _workspace, Options(recorder));

        var episode = await _episodes.GetAsync(run.Id, Acme);
        Assert.NotNull(episode);
        Assert.Equal("john@example.com was charged twice", episode.Task);
        Assert.Equal("billing/duplicate-charge", episode.TaskType);
        Assert.Equal(["triage", "billing"], episode.Agents);
        Assert.Equal(["triage used search_customer and handed off to billing", "billing used lookup_invoice"], episode.Steps.Select(s => s.ToString()));
        Assert.Equal(EpisodeOutcome.Success, episode.Outcome);
        Assert.Equal("Refund opened.", episode.Result);
        Assert.Equal(["Look up the invoice before opening a refund.", "Quote the ticket id to the customer."], episode.Lessons);
        Assert.Equal(run.Usage, episode.Usage);
        Assert.Equal(((run.Usage.InputTokens * 1m) + (run.Usage.OutputTokens * 4m)) / 1_000_000m, episode.Cost);
        Assert.Equal(TimeSpan.Zero, episode.Duration);
        Assert.Contains(_notices, n => n == "episode recorded: success, 2 lesson(s)");
        var prompt = model.Requests[^1][^1].Text;
        Assert.Contains("Task: john@example.com was charged twice", prompt);
        Assert.Contains("2. billing used lookup_invoice", prompt);
        Assert.DoesNotContain(run.Id, prompt);
    }

    [Fact]
    public async Task A_run_that_involved_the_escalation_agent_is_escalated_and_a_failed_run_is_a_failure()
    {
        var model = new ScriptedChatClient(
        [
            new ScriptedReply { Agent = "triage", ToolCalls = [ScriptedToolCall.With("handoff", new { to = "escalation", note = "outage" })] },
            new ScriptedReply { Agent = "escalation", Text = "A senior engineer will call." },
            new ScriptedReply { Agent = "triage", Error = "model down", StatusCode = 503 },
        ]);
        var (triage, billing, escalation) = Agents(model);
        var workflow = Workflow.Handoff(triage, billing, escalation);
        var recorder = new EpisodeRecorder(_episodes, Acme, new EpisodeRecorderOptions { Lessons = r => r.Episode.Outcome == EpisodeOutcome.Failure ? ["Retry when the model is down."] : [] });

        var escalated = await workflow.RunAsync("the site is down", _workspace, Options(recorder));
        var failed = await workflow.RunAsync("another problem", _workspace, Options(recorder));

        Assert.Equal(EpisodeOutcome.Escalated, (await _episodes.GetAsync(escalated.Id, Acme))!.Outcome);
        var failure = await _episodes.GetAsync(failed.Id, Acme);
        Assert.Equal(EpisodeOutcome.Failure, failure!.Outcome);
        Assert.Contains("model down", failure.Result);
        Assert.Equal(["Retry when the model is down."], failure.Lessons);
        Assert.Equal("handoff", failure.TaskType); // no step finished: the workflow kind stands in
    }

    [Fact]
    public async Task When_the_models_lessons_cannot_be_read_the_episode_is_still_recorded_and_the_observer_is_told()
    {
        var model = new ScriptedChatClient([new ScriptedReply { Agent = "billing", Text = "done" }, ScriptedReply.Say("Lessons: none really.")]);
        var billing = new Agent("billing", model, "Resolve billing.");

        var run = await Workflow.Sequential(billing).RunAsync("refund INV-1", _workspace, Options(new EpisodeRecorder(_episodes, Acme, new EpisodeRecorderOptions { Model = model })));

        Assert.Equal(RunStatus.Completed, run.Status);
        var episode = await _episodes.GetAsync(run.Id, Acme);
        Assert.Empty(episode!.Lessons);
        Assert.Equal("billing", episode.TaskType);
        Assert.Contains(_notices, n => n.StartsWith("episode recorded without lessons: the model's reply is not the JSON asked for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_later_run_on_a_similar_task_starts_with_the_lessons_of_the_earlier_one()
    {
        await _episodes.RecordAsync(new Episode
        {
            Id = "r-old",
            Scope = Acme,
            Task = "ana was charged twice for INV-2001",
            TaskType = "billing/duplicate-charge",
            Outcome = EpisodeOutcome.Failure,
            Lessons = ["Check both charges on the card before refunding."],
        });
        await _episodes.RecordAsync(new Episode { Id = "r-other", Scope = Acme, Task = "login page error 500", Lessons = ["Clear the cache."] });
        var model = new ScriptedChatClient([ScriptedReply.Say("ok")]);
        var billing = new Agent("billing", model, "Resolve billing.").WithLessons(new WorkspaceMemory(MemoryStores.InMemory() with { Episodes = _episodes.Store }, time: _time).For(Acme));

        await Workflow.Sequential(billing).RunAsync("john was charged twice for INV-1001", _workspace, Options());

        var lessons = Assert.Single(model.Requests)[1];
        Assert.Equal(ChatRole.System, lessons.Role);
        Assert.StartsWith("Lessons from similar past tasks", lessons.Text);
        Assert.Contains("Check both charges on the card before refunding. (from r-old, failure, 2026-11-01)", lessons.Text);
        Assert.DoesNotContain("Clear the cache", lessons.Text);
    }

    [Fact]
    public async Task A_failing_hook_is_reported_and_does_not_change_the_runs_outcome()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("done")]);
        var steps = new List<int>();

        var run = await Workflow.Sequential(new Agent("billing", model, "x")).RunAsync("task", _workspace, Options(new BrokenHook(steps)));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal([1], steps);
        Assert.Contains(_notices, n => n == "BrokenHook failed: disk full");
    }

    private sealed class BrokenHook(List<int> steps) : IRunHook
    {
        public ValueTask OnStepCompletedAsync(CompletedStep step, CancellationToken cancellationToken)
        {
            steps.Add(step.Step.Index);
            Assert.Contains(step.Thread, m => m.Text == "done");
            return ValueTask.CompletedTask;
        }

        public ValueTask OnRunFinishedAsync(FinishedRun run, CancellationToken cancellationToken) => throw new IOException("disk full");
    }
}
