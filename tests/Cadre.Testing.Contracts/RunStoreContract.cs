using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Testing.Contracts;

/// <summary>
/// What every <see cref="IRunStore"/> (with the <see cref="IConversationStore"/> that keeps its threads) must do: a run,
/// its steps and its checkpoint read back whole; a step commit adds messages, usage and state together; runs are found
/// by a unique id prefix. And ownership: one owner per run at a time, a higher epoch for each claim, and fenced writes —
/// a stale owner's step, status or answer is refused and writes nothing, and a completed run stays completed. A store
/// author derives a class that opens an empty store.
/// </summary>
public abstract class RunStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>How long the ownership tests' leases last.</summary>
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    protected IRunStore Runs { get; private set; } = null!;

    protected IConversationStore Conversations => Runs as IConversationStore
        ?? throw new InvalidOperationException("The run store must keep the run threads (IConversationStore).");

    /// <summary>Opens an empty store.</summary>
    protected abstract Task<IRunStore> CreateStoreAsync();

    public async Task InitializeAsync() => Runs = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static RunRecord Run(string id, int minutes = 0) => new()
    {
        Id = id, Workflow = "handoff", Task = "john@example.com was charged twice", StartedAt = Start.AddMinutes(minutes),
        Metadata = new Dictionary<string, string> { ["spec"] = "support-desk" },
    };

    protected static WorkflowState State(int step, string? next) => new()
    {
        Task = "john@example.com was charged twice", Step = step, NextAgent = next, Notes = [$"note {step}"],
        Data = new Dictionary<string, string> { ["customer"] = "C-1001" },
    };

    protected static StepCommit Step(string runId, int index, string agent, params ChatMessage[] messages) => new(
        new RunStep
        {
            RunId = runId, Index = index, Agent = agent, StartedAt = Start.AddSeconds(index), Duration = TimeSpan.FromMilliseconds(1500 + index),
            Usage = new TokenUsage(100 * index, 10 * index), Text = $"{agent} answered",
            ToolCalls = [new ToolCallRecord($"call_{index}", "lookup_invoice", "{\"id\":\"INV-1001\"}", ToolCallStatus.Succeeded, "paid twice", TimeSpan.FromMilliseconds(12))],
            Handoff = index == 1 ? new Handoff("billing", "a duplicate charge") : null,
            Messages = messages, // as workflows commit them: the step's messages are the ones the commit appends
        },
        messages,
        State(index, index == 1 ? "billing" : null));

    [Fact]
    public async Task A_new_run_reads_back_with_its_thread_and_initial_state()
    {
        await Runs.CreateRunAsync(Run("r-1"), [new ChatMessage(ChatRole.User, "charged twice")], State(0, "triage"));

        var checkpoint = await Runs.GetCheckpointAsync("r-1");

        Assert.NotNull(checkpoint);
        Assert.Equal(Run("r-1").Task, checkpoint.Run.Task);
        Assert.Equal(RunStatus.Running, checkpoint.Run.Status);
        Assert.Equal(Start, checkpoint.Run.StartedAt);
        Assert.Equal("support-desk", checkpoint.Run.Metadata["spec"]);
        Assert.Equal("charged twice", Assert.Single(checkpoint.Thread).Text);
        Assert.Equal("triage", checkpoint.State.NextAgent);
        Assert.Equal("C-1001", checkpoint.State.Data["customer"]);
    }

    [Fact]
    public async Task A_committed_step_adds_its_messages_usage_and_state_together()
    {
        await Runs.CreateRunAsync(Run("r-1"), [new ChatMessage(ChatRole.User, "charged twice")], State(0, "triage"));

        await Runs.CommitStepAsync(Step("r-1", 1, "triage", new ChatMessage(ChatRole.Assistant, "to billing") { AuthorName = "triage" }));
        await Runs.CommitStepAsync(Step("r-1", 2, "billing", new ChatMessage(ChatRole.Assistant, "refunded") { AuthorName = "billing" }, new ChatMessage(ChatRole.Assistant, "done")));

        var steps = await Runs.GetStepsAsync("r-1");
        Assert.Equal([1, 2], steps.Select(s => s.Index));
        Assert.Equal("to billing", Assert.Single(steps[0].Messages).Text);
        Assert.Equal(["refunded", "done"], steps[1].Messages.Select(m => m.Text));
        Assert.Equal("triage", steps[0].Messages[0].AuthorName);
        Assert.Equal(new Handoff("billing", "a duplicate charge"), steps[0].Handoff);
        Assert.Equal(TimeSpan.FromMilliseconds(1502), steps[1].Duration);
        Assert.Equal(Start.AddSeconds(2), steps[1].StartedAt);
        Assert.Equal("paid twice", Assert.Single(steps[1].ToolCalls).Result);
        var checkpoint = await Runs.GetCheckpointAsync("r-1");
        Assert.Equal(2, checkpoint!.State.Step);
        Assert.Null(checkpoint.State.NextAgent);
        Assert.Equal(["charged twice", "to billing", "refunded", "done"], checkpoint.Thread.Select(m => m.Text));
        Assert.Equal(2, checkpoint.Run.Steps);
        Assert.Equal(new TokenUsage(300, 30), checkpoint.Run.Usage);
    }

    [Fact]
    public async Task Updating_a_run_records_its_end_and_an_unknown_run_cannot_be_updated()
    {
        await Runs.CreateRunAsync(Run("r-1"), [], State(0, "triage"));

        await Runs.UpdateRunAsync(Run("r-1") with { Status = RunStatus.Completed, Answer = "refunded", EndedAt = Start.AddMinutes(1) }, 0);

        var run = await Runs.GetRunAsync("r-1");
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal("refunded", run.Answer);
        Assert.Equal(Start.AddMinutes(1), run.EndedAt);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Runs.UpdateRunAsync(Run("r-none"), 0));
    }

    [Fact]
    public async Task A_run_is_found_by_a_unique_prefix_of_its_id_and_lists_are_newest_first()
    {
        await Runs.CreateRunAsync(Run("r-100_a", 0), [], State(0, "a"));
        await Runs.CreateRunAsync(Run("r-100%b", 1), [], State(0, "a"));
        await Runs.CreateRunAsync(Run("r-200", 2), [], State(0, "a"));

        Assert.Equal("r-200", (await Runs.GetRunAsync("r-2"))!.Id);
        Assert.Equal("r-100%b", (await Runs.GetRunAsync("r-100%"))!.Id);
        Assert.Null(await Runs.GetRunAsync("r-1"));
        Assert.Null(await Runs.GetRunAsync("nothing"));
        Assert.Null(await Runs.GetCheckpointAsync("nothing"));
        Assert.Equal(["r-200", "r-100%b"], (await Runs.ListRunsAsync(2)).Select(r => r.Id));
    }

    [Fact]
    public async Task Threads_append_in_order_and_an_unknown_thread_is_empty()
    {
        await Conversations.AppendAsync("t-1", [new ChatMessage(ChatRole.User, "one")]);
        await Conversations.AppendAsync("t-1", [new ChatMessage(ChatRole.Assistant, "two"), new ChatMessage(ChatRole.User, "three")]);

        Assert.Equal(["one", "two", "three"], (await Conversations.LoadAsync("t-1")).Select(m => m.Text));
        Assert.Equal(ChatRole.Assistant, (await Conversations.LoadAsync("t-1"))[1].Role);
        Assert.Empty(await Conversations.LoadAsync("t-none"));
    }

    /// <summary>Who claims in the ownership tests: a process on one host.</summary>
    protected static RunOwner Owner(string id, int pid = 4711) => new(id, "host-a", pid);

    /// <summary>Creates a run with its task and an initial state at step 0, as a workflow starts one.</summary>
    protected async Task<string> NewRunAsync(string id = "r1")
    {
        await Runs.CreateRunAsync(Run(id), [new ChatMessage(ChatRole.User, "charged twice")], State(0, "triage"));
        return id;
    }

    private static StepCommit OwnedStep(string runId, int index, long epoch, string text) =>
        Step(runId, index, "triage", new ChatMessage(ChatRole.Assistant, text)) with { Epoch = epoch };

    [Fact]
    public async Task The_first_claim_gets_epoch_1_and_a_second_owner_is_refused_while_the_lease_is_live()
    {
        var run = await NewRunAsync();

        var first = await Runs.ClaimAsync(run, Owner("A"), Start, Lease);
        var second = await Runs.ClaimAsync(run, Owner("B", 4712), Start + TimeSpan.FromSeconds(5), Lease);

        Assert.True(first.Claimed);
        Assert.Equal(1, first.Lease.Epoch);
        Assert.False(second.Claimed);
        Assert.Equal("A", second.Lease.Owner.Id);
        Assert.Equal(4711, second.Lease.Owner.ProcessId);
        Assert.Equal(Start + Lease, second.Lease.ExpiresAt);
        Assert.Equal(1, (await Runs.GetLeaseAsync(run))!.Epoch);
    }

    [Fact]
    public async Task Concurrent_claims_of_one_run_give_it_exactly_one_owner()
    {
        var run = await NewRunAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Runs.ClaimAsync(run, Owner($"O{i}", 5000 + i), Start, Lease))));

        var winner = Assert.Single(claims, c => c.Claimed);
        Assert.Equal(1, winner.Lease.Epoch);
        Assert.All(claims, c => Assert.Equal(winner.Lease.Owner.Id, c.Lease.Owner.Id));
        Assert.Equal(winner.Lease.Owner.Id, (await Runs.GetLeaseAsync(run))!.Owner.Id);
    }

    [Fact]
    public async Task A_lapsed_lease_is_taken_over_under_a_higher_epoch_and_the_old_owner_cannot_renew()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), Start, Lease);

        var later = Start + Lease + TimeSpan.FromSeconds(1);
        var takeover = await Runs.ClaimAsync(run, Owner("B", 4712), later, Lease);

        Assert.True(takeover.Claimed);
        Assert.Equal(2, takeover.Lease.Epoch);
        Assert.False(await Runs.RenewLeaseAsync(run, 1, later, Lease));
        Assert.True(await Runs.RenewLeaseAsync(run, 2, later + TimeSpan.FromSeconds(5), Lease));
        Assert.Equal(later + TimeSpan.FromSeconds(5) + Lease, (await Runs.GetLeaseAsync(run))!.ExpiresAt);
    }

    [Fact]
    public async Task A_renewed_lease_keeps_others_out_and_a_released_one_lets_them_in_at_once()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), Start, Lease);
        Assert.True(await Runs.RenewLeaseAsync(run, 1, Start + TimeSpan.FromSeconds(10), Lease));

        Assert.False((await Runs.ClaimAsync(run, Owner("B", 4712), Start + TimeSpan.FromSeconds(20), Lease)).Claimed);

        await Runs.ReleaseAsync(run, 1, Start + TimeSpan.FromSeconds(21));
        var claim = await Runs.ClaimAsync(run, Owner("B", 4712), Start + TimeSpan.FromSeconds(21), Lease);
        Assert.True(claim.Claimed);
        Assert.Equal(2, claim.Lease.Epoch);
    }

    [Fact]
    public async Task A_commit_under_a_stale_epoch_is_refused_and_writes_nothing()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), Start, Lease);
        await Runs.CommitStepAsync(OwnedStep(run, 1, 1, "did it"));
        await Runs.ClaimAsync(run, Owner("B", 4712), Start + Lease, Lease);

        var refused = await Assert.ThrowsAsync<RunSupersededException>(() => Runs.CommitStepAsync(OwnedStep(run, 2, 1, "stale")));

        Assert.Contains("epoch 2", refused.Message, StringComparison.Ordinal);
        var checkpoint = (await Runs.GetCheckpointAsync(run))!;
        Assert.Equal(1, checkpoint.State.Step);
        Assert.Equal(2, checkpoint.Thread.Count);
        Assert.Single(await Runs.GetStepsAsync(run));
        Assert.Equal(1, (await Runs.GetRunAsync(run))!.Steps);
        await Runs.CommitStepAsync(OwnedStep(run, 2, 2, "did it"));
        Assert.Equal(2, (await Runs.GetStepsAsync(run)).Count);
    }

    [Fact]
    public async Task A_step_that_was_already_committed_is_refused_not_written_twice()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), Start, Lease);
        await Runs.CommitStepAsync(OwnedStep(run, 1, 1, "did it"));

        await Assert.ThrowsAsync<RunSupersededException>(() => Runs.CommitStepAsync(OwnedStep(run, 1, 1, "again")));
        await Assert.ThrowsAsync<RunSupersededException>(() => Runs.CommitStepAsync(OwnedStep(run, 3, 1, "skipped")));

        var steps = await Runs.GetStepsAsync(run);
        Assert.Equal(["triage answered"], steps.Select(s => s.Text));
        Assert.Equal(["did it"], steps.Single().Messages.Select(m => m.Text));
        Assert.Equal(new TokenUsage(100, 10), (await Runs.GetRunAsync(run))!.Usage);
    }

    [Fact]
    public async Task A_status_write_under_a_stale_epoch_is_refused()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), Start, Lease);
        await Runs.ClaimAsync(run, Owner("B", 4712), Start + Lease, Lease);
        var record = (await Runs.GetRunAsync(run))!;

        await Assert.ThrowsAsync<RunSupersededException>(() => Runs.UpdateRunAsync(record with { Status = RunStatus.Failed, Error = "stale" }, 1));

        Assert.Equal(RunStatus.Running, (await Runs.GetRunAsync(run))!.Status);
        await Runs.UpdateRunAsync(record with { Status = RunStatus.Stopped, Error = "cap" }, 2);
        Assert.Equal(RunStatus.Stopped, (await Runs.GetRunAsync(run))!.Status);
    }

    [Fact]
    public async Task A_completed_run_never_becomes_failed_and_keeps_its_answer()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), Start, Lease);
        var record = (await Runs.GetRunAsync(run))!;
        await Runs.UpdateRunAsync(record with { Status = RunStatus.Completed, Answer = "refunded", EndedAt = Start }, 1);

        await Assert.ThrowsAsync<RunSupersededException>(() => Runs.UpdateRunAsync(record with { Status = RunStatus.Failed, Error = "UNIQUE constraint failed" }, 1));
        await Assert.ThrowsAsync<RunSupersededException>(() => Runs.UpdateRunAsync(record with { Status = RunStatus.Running }, 1));

        var stored = (await Runs.GetRunAsync(run))!;
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Equal("refunded", stored.Answer);
        Assert.Null(stored.Error);
    }

    [Fact]
    public async Task Pending_post_run_work_is_kept_with_the_run_until_it_is_cleared()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), Start, Lease);
        var record = (await Runs.GetRunAsync(run))!;

        await Runs.UpdateRunAsync(record with { Status = RunStatus.Completed, Answer = "ok", PendingWork = ["MemoryWriterHook", "EpisodeRecorder"] }, 1);
        Assert.Equal(["MemoryWriterHook", "EpisodeRecorder"], (await Runs.GetRunAsync(run))!.PendingWork);

        await Runs.UpdateRunAsync(record with { Status = RunStatus.Completed, Answer = "ok", PendingWork = ["EpisodeRecorder"] }, 1);
        Assert.Equal(["EpisodeRecorder"], (await Runs.GetRunAsync(run))!.PendingWork);
        Assert.Equal(["EpisodeRecorder"], (await Runs.ListRunsAsync()).Single().PendingWork);
    }

    [Fact]
    public async Task A_run_never_claimed_is_written_under_epoch_0_and_claiming_an_unknown_run_fails()
    {
        var run = await NewRunAsync();

        await Runs.CommitStepAsync(OwnedStep(run, 1, 0, "did it"));
        Assert.Null(await Runs.GetLeaseAsync(run));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Runs.ClaimAsync("no-such-run", Owner("A"), Start, Lease));
    }
}
