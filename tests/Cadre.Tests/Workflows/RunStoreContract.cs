using Cadre.Agents;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Workflows;

/// <summary>What every <see cref="IRunStore"/> must do about ownership: one owner per run at a time, a higher epoch for
/// each claim, and fenced writes — a stale owner's step, status or answer is refused and writes nothing, and a completed
/// run stays completed. Implementations subclass this with their workspace.</summary>
public abstract class RunStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    protected IWorkspace Workspace { get; private set; } = null!;

    private IRunStore Runs => Workspace.Runs;

    protected abstract Task<IWorkspace> CreateWorkspaceAsync();

    public async Task InitializeAsync() => Workspace = await CreateWorkspaceAsync();

    public virtual async Task DisposeAsync() => await Workspace.DisposeAsync();

    protected static RunOwner Owner(string id, int pid = 4711) => new(id, "host-a", pid);

    protected async Task<string> NewRunAsync(string id = "r1")
    {
        await Runs.CreateRunAsync(new RunRecord { Id = id, Workflow = "sequential", Task = "t", StartedAt = T0 }, [new ChatMessage(ChatRole.User, "t")], new WorkflowState { Task = "t", NextAgent = "a" });
        return id;
    }

    private static StepCommit Step(string run, int index, long epoch, string text = "did it") =>
        new(new RunStep { RunId = run, Index = index, Agent = "a", StartedAt = T0, Duration = TimeSpan.FromSeconds(1), Text = text, Usage = new TokenUsage(10, 5) },
            [new ChatMessage(ChatRole.Assistant, text)],
            new WorkflowState { Task = "t", NextAgent = "a", Step = index })
        { Epoch = epoch };

    [Fact]
    public async Task The_first_claim_gets_epoch_1_and_a_second_owner_is_refused_while_the_lease_is_live()
    {
        var run = await NewRunAsync();

        var first = await Runs.ClaimAsync(run, Owner("A"), T0, Lease);
        var second = await Runs.ClaimAsync(run, Owner("B", 4712), T0 + TimeSpan.FromSeconds(5), Lease);

        Assert.True(first.Claimed);
        Assert.Equal(1, first.Lease.Epoch);
        Assert.False(second.Claimed);
        Assert.Equal("A", second.Lease.Owner.Id);
        Assert.Equal(4711, second.Lease.Owner.ProcessId);
        Assert.Equal(T0 + Lease, second.Lease.ExpiresAt);
        Assert.Equal(1, (await Runs.GetLeaseAsync(run))!.Epoch);
    }

    [Fact]
    public async Task A_lapsed_lease_is_taken_over_under_a_higher_epoch_and_the_old_owner_cannot_renew()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), T0, Lease);

        var later = T0 + Lease + TimeSpan.FromSeconds(1);
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
        await Runs.ClaimAsync(run, Owner("A"), T0, Lease);
        Assert.True(await Runs.RenewLeaseAsync(run, 1, T0 + TimeSpan.FromSeconds(10), Lease));

        Assert.False((await Runs.ClaimAsync(run, Owner("B", 4712), T0 + TimeSpan.FromSeconds(20), Lease)).Claimed);

        await Runs.ReleaseAsync(run, 1, T0 + TimeSpan.FromSeconds(21));
        var claim = await Runs.ClaimAsync(run, Owner("B", 4712), T0 + TimeSpan.FromSeconds(21), Lease);
        Assert.True(claim.Claimed);
        Assert.Equal(2, claim.Lease.Epoch);
    }

    [Fact]
    public async Task A_commit_under_a_stale_epoch_is_refused_and_writes_nothing()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), T0, Lease);
        await Runs.CommitStepAsync(Step(run, 1, epoch: 1));
        await Runs.ClaimAsync(run, Owner("B", 4712), T0 + Lease, Lease);

        var refused = await Assert.ThrowsAsync<RunSupersededException>(() => Runs.CommitStepAsync(Step(run, 2, epoch: 1, "stale")));

        Assert.Contains("epoch 2", refused.Message, StringComparison.Ordinal);
        var checkpoint = (await Runs.GetCheckpointAsync(run))!;
        Assert.Equal(1, checkpoint.State.Step);
        Assert.Equal(2, checkpoint.Thread.Count);
        Assert.Single(await Runs.GetStepsAsync(run));
        Assert.Equal(1, (await Runs.GetRunAsync(run))!.Steps);
        await Runs.CommitStepAsync(Step(run, 2, epoch: 2));
        Assert.Equal(2, (await Runs.GetStepsAsync(run)).Count);
    }

    [Fact]
    public async Task A_step_that_was_already_committed_is_refused_not_written_twice()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), T0, Lease);
        await Runs.CommitStepAsync(Step(run, 1, epoch: 1));

        await Assert.ThrowsAsync<RunSupersededException>(() => Runs.CommitStepAsync(Step(run, 1, epoch: 1, "again")));
        await Assert.ThrowsAsync<RunSupersededException>(() => Runs.CommitStepAsync(Step(run, 3, epoch: 1, "skipped")));

        var steps = await Runs.GetStepsAsync(run);
        Assert.Equal(["did it"], steps.Select(s => s.Text));
        Assert.Equal(new TokenUsage(10, 5), (await Runs.GetRunAsync(run))!.Usage);
    }

    [Fact]
    public async Task A_status_write_under_a_stale_epoch_is_refused()
    {
        var run = await NewRunAsync();
        await Runs.ClaimAsync(run, Owner("A"), T0, Lease);
        await Runs.ClaimAsync(run, Owner("B", 4712), T0 + Lease, Lease);
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
        await Runs.ClaimAsync(run, Owner("A"), T0, Lease);
        var record = (await Runs.GetRunAsync(run))!;
        await Runs.UpdateRunAsync(record with { Status = RunStatus.Completed, Answer = "refunded", EndedAt = T0 }, 1);

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
        await Runs.ClaimAsync(run, Owner("A"), T0, Lease);
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

        await Runs.CommitStepAsync(Step(run, 1, epoch: 0));
        Assert.Null(await Runs.GetLeaseAsync(run));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Runs.ClaimAsync("no-such-run", Owner("A"), T0, Lease));
    }
}
