using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Cadre.Tests.Chaos;

/// <summary>
/// The chaos suite: support-desk workflows (handoff, and orchestrator–workers) run many times with fixed seeds while
/// Polly's chaos strategies inject errors, hangs, latency and malformed replies into every model and failures into
/// every tool. Every run must end done (perhaps degraded), escalated or dead-lettered — never hung, never an unhandled
/// exception — with everything in the SQLite store, no idempotency key executed twice and no effect repeated; every
/// run that did not finish must then finish when resumed without chaos.
/// </summary>
public sealed class ChaosSuiteTests(ITestOutputHelper output) : IDisposable
{
    private const int Seeds = 12;
    private const string Task = "john@example.com was charged twice for INV-1";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.6)]
    public Task The_handoff_desk_survives_chaos(double rate) => RunSuiteAsync(rate, Handoff);

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public Task The_supervised_desk_survives_chaos(double rate) => RunSuiteAsync(rate, Supervised);

    private async Task RunSuiteAsync(double rate, Func<DeskWorld, Testing.Chaos?, TimeProvider, Workflow> build)
    {
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Combine("ws"));
        var world = new DeskWorld();
        var runs = new List<(int Seed, WorkflowRun Run)>();
        var injected = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var time = new FakeTimeProvider();
            var chaos = new Testing.Chaos(new ChaosOptions { Rate = rate, Seed = seed }, time);
            var run = await RunAsync(() => build(world, chaos, time).RunAsync(Task, workspace, new RunOptions { Time = time }), time, $"seed {seed} at rate {rate}");
            injected += chaos.Injected;

            Assert.True(run.Status is RunStatus.Completed or RunStatus.Escalated or RunStatus.DeadLettered, $"seed {seed} at rate {rate} ended {run.Status}: {run.Error}");
            await AssertStoredAsync(workspace, run, $"seed {seed}");
            if (build == Handoff)
            {
                // Within one run, retries and fallbacks never make a side effect happen twice.
                Assert.All(world.BodyRuns.Where(b => b.Key.Run == run.Id), b => Assert.True(b.Value == 1, $"seed {seed}: {b.Key.Tool} ran {b.Value} times"));
            }

            runs.Add((seed, run));
        }

        Assert.True(injected > 0, "chaos injected nothing");
        output.WriteLine($"rate {rate}: {injected} faults injected; " + string.Join(", ", runs
            .GroupBy(r => r.Run.Status == RunStatus.Completed && r.Run.IsDegraded ? "degraded" : r.Run.Status.ToString())
            .Select(g => $"{g.Key} {g.Count()}")));
        if (rate >= 0.5)
        {
            Assert.Contains(runs, r => r.Run.Status != RunStatus.Completed || r.Run.IsDegraded);
        }

        // Nothing was lost: every run that did not finish finishes from its checkpoint once the faults are gone.
        foreach (var (seed, run) in runs.Where(r => r.Run.Status != RunStatus.Completed))
        {
            var time = new FakeTimeProvider();
            var resumed = await RunAsync(() => build(world, null, time).ResumeAsync(run.Id, workspace, new RunOptions { Time = time, Escalation = EscalationHandlers.From((_, _) => System.Threading.Tasks.Task.FromResult(EscalationOutcome.Retry)) }), time, $"resuming seed {seed}");
            Assert.True(resumed.Status == RunStatus.Completed, $"seed {seed}: resumed run ended {resumed.Status}: {resumed.Error}");
            Assert.True(resumed.Steps.Count >= run.Steps.Count);
            await AssertStoredAsync(workspace, resumed, $"resumed seed {seed}");
        }

        Assert.All(world.ExecutionsByKey, e => Assert.True(e.Value == 1, $"{e.Key} executed {e.Value} times"));
        foreach (var (seed, run) in runs)
        {
            var final = (await workspace.Runs.GetRunAsync(run.Id))!;
            Assert.True(world.EffectsOf(run.Id, "ticket") <= 1 && world.EffectsOf(run.Id, "email") <= 1, $"seed {seed}: an effect repeated");
            if (final.Answer?.Contains("Resolved:", StringComparison.Ordinal) == true)
            {
                Assert.Equal((1, 1), (world.EffectsOf(run.Id, "ticket"), world.EffectsOf(run.Id, "email")));
            }
        }
    }

    private static async Task<WorkflowRun> RunAsync(Func<Task<WorkflowRun>> start, FakeTimeProvider time, string what)
    {
        try
        {
            return await time.DriveAsync(start(), TimeSpan.FromSeconds(2), TimeSpan.FromHours(2));
        }
#pragma warning disable CA1031 // Any exception escaping a run is the failure under test.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Assert.Fail($"{what}: the run threw or hung instead of ending with an outcome: {ex}");
            throw;
        }
    }

    private static async Task AssertStoredAsync(IWorkspace workspace, WorkflowRun run, string what)
    {
        var record = await workspace.Runs.GetRunAsync(run.Id);
        Assert.NotNull(record);
        Assert.Equal(run.Status, record.Status);
        var steps = await workspace.Runs.GetStepsAsync(run.Id);
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.Index));
        Assert.Equal(steps.Count, record.Steps);
        var checkpoint = (await workspace.Runs.GetCheckpointAsync(run.Id))!;
        Assert.Equal(steps.Count, checkpoint.State.Step);
        Assert.Equal(1 + steps.Sum(s => s.Messages.Count), checkpoint.Thread.Count);
        switch (run.Status)
        {
            case RunStatus.DeadLettered:
                var letters = (await workspace.DeadLetters.ListAsync()).Where(l => l.RunId == run.Id).ToList();
                Assert.True(letters.Count > 0, $"{what}: dead-lettered without a dead letter");
                Assert.NotEmpty(letters[0].Attempts);
                break;
            case RunStatus.Escalated:
                Assert.True(checkpoint.State.Escalation is not null, $"{what}: escalated without the request in its checkpoint");
                break;
        }
    }

    private static IChatClient Chain(string name, Testing.Chaos? chaos, TimeProvider time, ProviderCircuits circuits)
    {
        ResilientChatClient Level(string level)
        {
            IChatClient model = new DeskModel();
            if (chaos is not null)
            {
                model = chaos.Wrap(model, $"desk:{name}-{level}");
            }

            return new ResilientChatClient(new ValidatingChatClient(model), new ResilienceOptions
            {
                Provider = $"desk:{name}-{level}",
                Time = time,
                Circuits = circuits,
                AttemptTimeout = TimeSpan.FromSeconds(30),
                Retry = new RetryOptions { MaxRetries = 2, UseJitter = false },
                Breaker = new BreakerOptions { MinimumThroughput = 4, BreakDuration = TimeSpan.FromSeconds(30) },
            });
        }

        return new DegradingChatClient(
            [new DegradationLevel("full", Level("full")), new DegradationLevel("recorded", Level("recorded"))],
            new DegradationOptions { Time = time });
    }

    private static Agent Agent(string name, DeskWorld world, Testing.Chaos? chaos, TimeProvider time, ProviderCircuits circuits, params string[] tools)
    {
        var granted = world.Tools().Where(t => tools.Contains(t.Name)).ToList();
        return new Agent(name, Chain(name, chaos, time, circuits), $"You are {name}.")
            .WithTools(chaos is null ? granted : chaos.Wrap(granted))
            .WithToolInvoker(world.Invoker());
    }

    private static Workflow Handoff(DeskWorld world, Testing.Chaos? chaos, TimeProvider time)
    {
        var circuits = new ProviderCircuits();
        return Workflow.Handoff(
                Agent("triage", world, chaos, time, circuits, "search_customer"),
                Agent("billing", world, chaos, time, circuits, "lookup_invoice", "create_ticket", "send_email"))
            .Route("triage", "billing")
            .Route("billing");
    }

    private static Workflow Supervised(DeskWorld world, Testing.Chaos? chaos, TimeProvider time)
    {
        var circuits = new ProviderCircuits();
        string[] tools = ["lookup_invoice", "create_ticket", "send_email"];
        return new SupervisorWorkflow(
                Agent("lead", world, chaos, time, circuits),
                [Agent("billing-a", world, chaos, time, circuits, tools), Agent("billing-b", world, chaos, time, circuits, tools)])
            { AgentTimeout = TimeSpan.FromMinutes(10), HeartbeatInterval = TimeSpan.FromMinutes(1) }
            .Capable("billing-a", "billing")
            .Capable("billing-b", "billing");
    }
}
