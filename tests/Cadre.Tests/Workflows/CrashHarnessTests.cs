using System.Collections.Concurrent;
using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Testing;
using Cadre.Tests.Chaos;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Workflows;

/// <summary>
/// The crash harness, in process: a support-desk handoff on a real SQLite workspace "dies" at a fault point chosen by
/// seed (<see cref="CrashPlan"/>: claim, before or after a tool, before or after a step commit, during post-run
/// work), the dead process's workspace is closed (the kernel releases its locks), and a new one resumes. Every run
/// must end completed with the undisturbed answer, each side effect must happen once, and the audit must account for
/// every execution of a side-effecting tool's code.
/// </summary>
public sealed class CrashHarnessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Tools whose code counts its executions and whose effects are kept by idempotency key, as a real API
    /// given an Idempotency-Key keeps them.</summary>
    private sealed class Desk(bool idempotent)
    {
        public ConcurrentDictionary<string, int> Executions { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, string> Effects { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<AIFunction> Tools() =>
        [
            AIFunctionFactory.Create((string query) => "C-1 John Carter", "search_customer"),
            AIFunctionFactory.Create((string invoiceId) => $"{invoiceId}: 49.00 USD charged twice", "lookup_invoice"),
            Effect("create_ticket", SideEffects.Reversible, (string subject) => "T-1"),
            Effect("send_email", SideEffects.Irreversible, (string to, string body) => "queued"),
        ];

        private AIFunction Effect(string name, SideEffects effects, Delegate body)
        {
            var function = AIFunctionFactory.Create(body, name);
            return new ToolDescriptor { SideEffects = effects, Idempotent = idempotent }.Attach(new CountingFunction(function, this));
        }

        private sealed class CountingFunction(AIFunction inner, Desk desk) : DelegatingAIFunction(inner)
        {
            protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
            {
                var key = ToolCaller.Of(arguments)?.IdempotencyKey ?? "";
                desk.Executions.AddOrUpdate(Name, 1, (_, n) => n + 1);
                var result = await base.InvokeCoreAsync(arguments, cancellationToken);
                desk.Effects.TryAdd(key, Name); // the API keeps one effect per key
                return result;
            }
        }
    }

    private sealed class CountingHook : IRunHook
    {
        public int Calls;

        public ValueTask OnRunFinishedAsync(FinishedRun run, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return ValueTask.CompletedTask;
        }
    }

    private static Workflow Handoff(Desk desk)
    {
        var invoker = new GovernedToolInvoker(new GovernedToolOptions());
        var tools = desk.Tools();
        Agent Agent(string name, params string[] granted) =>
            new Agent(name, new DeskModel(), $"You are {name}.").WithTools(tools.Where(t => granted.Contains(t.Name)).ToList()).WithToolInvoker(invoker);
        return Workflow.Handoff(Agent("triage", "search_customer"), Agent("billing", "lookup_invoice", "create_ticket", "send_email"))
            .Route("triage", "billing")
            .Route("billing");
    }

    private static RunOptions Options(IFaultInjector? faults, IRunHook hook, string? runId = null) =>
        new() { RunId = runId, Faults = faults, Hooks = [hook], LeaseDuration = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task Seeded_crashes_at_every_fault_point_end_like_the_undisturbed_run_with_each_side_effect_once()
    {
        string expected;
        await using (var clean = await SqliteWorkspace.OpenAsync(_dir.Combine("baseline")))
        {
            var baseline = await Handoff(new Desk(idempotent: true)).RunAsync("john@example.com was charged twice for INV-1", clean, Options(null, new CountingHook()));
            Assert.Equal(RunStatus.Completed, baseline.Status);
            expected = baseline.Answer!;
        }

        var covered = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 1; seed <= 24; seed++)
        {
            var plan = CrashPlan.FromSeed(seed);
            var desk = new Desk(idempotent: true);
            var hook = new CountingHook();
            var folder = _dir.Combine($"seed-{seed}");
            var runId = $"crash-{seed}";
            await using (var dying = await SqliteWorkspace.OpenAsync(folder))
            {
                try
                {
                    await Handoff(desk).RunAsync("john@example.com was charged twice for INV-1", dying, Options(plan, hook, runId));
                }
                catch (CrashException)
                {
                    covered.Add(plan.Point);
                }
            } // the process is gone: its workspace closed, its OS locks released

            await using var next = await SqliteWorkspace.OpenAsync(folder);
            var resumed = await Handoff(desk).ResumeAsync(runId, next, Options(null, hook));

            var why = $"seed {seed}, crash at {plan.Point} #{plan.Occurrence} (crashed: {plan.Crashed})";
            Assert.True(RunStatus.Completed == resumed.Status, $"{why}: {resumed.Status} {resumed.Error}");
            Assert.Equal(expected, resumed.Answer);
            Assert.Equal(["create_ticket", "send_email"], desk.Effects.Values.Order());
            Assert.Empty((await next.Runs.GetRunAsync(runId))!.PendingWork);
            Assert.True(hook.Calls >= 1, why);
            Assert.Equal(plan.Crashed && plan.Point == FaultPoints.AfterPostRunHook ? 2 : 1, hook.Calls);

            // The audit accounts for every execution of the tools' code; only a crash between a tool's return and its
            // ledger record makes the idempotent tool run again, under the same key, and the audit says so.
            var audit = await next.Audit.QueryAsync(new AuditQuery { RunId = runId });
            foreach (var tool in new[] { "create_ticket", "send_email" })
            {
                var executions = audit.Where(e => e.Tool == tool).Sum(e => e.Executions);
                Assert.True(desk.Executions[tool] == executions, $"{why}: {tool} ran {desk.Executions[tool]} times, the audit says {executions}");
                var repeated = plan.Crashed && plan.Point == FaultPoints.AfterTool && (plan.Occurrence == 1 ? tool == "create_ticket" : tool == "send_email");
                Assert.True((repeated ? 2 : 1) == executions, $"{why}: {tool} executed {executions} times");
                if (repeated)
                {
                    Assert.Contains(audit, e => e.Tool == tool && e.Detail is { } d && d.Contains("made again under the same key", StringComparison.Ordinal));
                    Assert.Single(audit.Where(e => e.Tool == tool).Select(e => e.Key).Distinct());
                }
            }
        }

        Assert.Equal(FaultPoints.All.Order(), covered.Order());
    }

    [Fact]
    public async Task A_call_of_a_tool_that_is_not_idempotent_whose_outcome_is_unknown_escalates_and_is_not_repeated_unless_a_person_says_so()
    {
        var desk = new Desk(idempotent: false);
        var folder = _dir.Combine("unknown");
        var plan = new CrashPlan(FaultPoints.AfterTool, 2); // send_email ran; its outcome never reached the ledger
        await using (var dying = await SqliteWorkspace.OpenAsync(folder))
        {
            await Assert.ThrowsAsync<CrashException>(() => Handoff(desk).RunAsync("john@example.com was charged twice for INV-1", dying, Options(plan, new CountingHook(), "r-unknown")));
        }

        await using var next = await SqliteWorkspace.OpenAsync(folder);
        var escalated = await Handoff(desk).ResumeAsync("r-unknown", next, Options(null, new CountingHook()));

        Assert.Equal(RunStatus.Escalated, escalated.Status);
        Assert.Contains("outcome of send_email", escalated.Error, StringComparison.Ordinal);
        Assert.Equal(1, desk.Executions["send_email"]);
        var audit = await next.Audit.QueryAsync(new AuditQuery { RunId = "r-unknown", Tool = "send_email" });
        Assert.Equal([AuditOutcome.Executed, AuditOutcome.OutcomeUnknown], audit.Select(e => e.Outcome));

        var decided = await Handoff(desk).ResumeAsync("r-unknown", next, Options(null, new CountingHook()) with { RepeatUnknownOutcomes = true });

        Assert.Equal(RunStatus.Completed, decided.Status);
        Assert.Equal(2, desk.Executions["send_email"]);
        Assert.Equal(1, desk.Executions["create_ticket"]);
    }

    [Fact]
    public async Task A_process_that_lost_its_run_to_another_stops_as_superseded_and_writes_nothing()
    {
        await using var workspace = new InMemoryWorkspace();
        var desk = new Desk(idempotent: true);
        var gate = new TaskCompletionSource();
        var stale = new Agent("billing", new GatedModel(new DeskModel(), gate.Task), "You are billing.")
            .WithTools(desk.Tools().Where(t => t.Name is "create_ticket" or "send_email").ToList())
            .WithToolInvoker(new GovernedToolInvoker());
        var workflow = Workflow.Sequential(stale);
        var first = new RunOwner("first", "host-a", 1);
        var running = workflow.RunAsync("refund INV-1", workspace, new RunOptions { RunId = "r-race", Owner = first, LeaseDuration = TimeSpan.FromMinutes(5) });

        // While the first process waits on its model, its lease lapses and a second process takes the run over.
        var later = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10);
        var takeover = await workspace.Runs.ClaimAsync("r-race", new RunOwner("second", "host-b", 2), later, TimeSpan.FromMinutes(5));
        Assert.True(takeover.Claimed);
        gate.SetResult();

        var superseded = await Assert.ThrowsAsync<RunSupersededException>(() => running);
        Assert.Contains("superseded", superseded.Message, StringComparison.Ordinal);
        Assert.Empty(desk.Executions);
        Assert.Empty(await workspace.Runs.GetStepsAsync("r-race"));
        Assert.Equal(RunStatus.Running, (await workspace.Runs.GetRunAsync("r-race"))!.Status);
    }

    [Fact]
    public async Task Resuming_a_run_that_another_owner_holds_says_who_holds_it_and_when_it_was_last_seen()
    {
        await using var workspace = new InMemoryWorkspace();
        var gate = new TaskCompletionSource();
        var agent = new Agent("billing", new GatedModel(new DeskModel(), gate.Task), "You are billing.");
        var running = Workflow.Sequential(agent).RunAsync("refund", workspace, new RunOptions { RunId = "r-live", Owner = new RunOwner("a", "desk-7", 4711) });

        var refused = await Assert.ThrowsAsync<RunAliveException>(() => Workflow.Sequential(agent).ResumeAsync("r-live", workspace));

        Assert.StartsWith("run r-live is running in process 4711 on host desk-7; it was last seen ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(4711, refused.Holder.Owner.ProcessId);
        gate.SetResult();
        Assert.Equal(RunStatus.Completed, (await running).Status);
        var resumed = await Workflow.Sequential(agent).ResumeAsync("r-live", workspace);
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(1, (await workspace.Runs.GetLeaseAsync("r-live"))!.Epoch); // a completed run is returned as it is, not claimed
    }

    /// <summary>A model that waits at a gate before its first answer (a process slowed down mid-step).</summary>
    private sealed class GatedModel(IChatClient inner, Task gate) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await gate.WaitAsync(cancellationToken);
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
