using Cadre.Agents;
using Cadre.Tools;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Workflows;

/// <summary>What every <see cref="IToolLedger"/> must do: reserve a side-effecting call before it runs, fenced by the
/// run's epoch; replay a recorded call; report a call reserved by an earlier owner and never recorded as outcome
/// unknown, and let it be taken over only when asked. Implementations subclass this with their workspace (the ledger
/// reads the run's epoch from the workspace's run store).</summary>
public abstract class ToolLedgerContract : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    protected IWorkspace Workspace { get; private set; } = null!;

    private IToolLedger Ledger => Workspace.Ledger;

    protected abstract Task<IWorkspace> CreateWorkspaceAsync();

    public async Task InitializeAsync()
    {
        Workspace = await CreateWorkspaceAsync();
        await Workspace.Runs.CreateRunAsync(new RunRecord { Id = "r1", Workflow = "handoff", Task = "t", StartedAt = T0 }, [new ChatMessage(ChatRole.User, "t")], new WorkflowState { Task = "t", NextAgent = "a" });
        await Workspace.Runs.ClaimAsync("r1", new RunOwner("A", "h", 1), T0, Lease);
    }

    public virtual async Task DisposeAsync() => await Workspace.DisposeAsync();

    private static ToolReservation Reserve(long epoch, string key = "r1/2/0", string arguments = """{"to":"john@example.com"}""") =>
        new(key, "r1", epoch, "send_email", arguments, T0);

    private static ToolLedgerEntry Done(long epoch, string result = "queued M-1") =>
        new("r1/2/0", "send_email", """{"to":"john@example.com"}""", result, ToolCallStatus.Succeeded, T0) { RunId = "r1", Epoch = epoch };

    [Fact]
    public async Task A_call_is_reserved_once_then_recorded_and_then_replayed()
    {
        var first = await Ledger.ReserveAsync(Reserve(1));
        var pending = await Ledger.FindAsync("r1/2/0");
        await Ledger.RecordAsync(Done(1));
        var again = await Ledger.ReserveAsync(Reserve(1));

        Assert.Equal(ToolReservationStatus.Reserved, first.Status);
        Assert.True(pending!.IsPending);
        Assert.Equal(1, pending.Epoch);
        Assert.Equal("r1", pending.RunId);
        Assert.Equal(ToolReservationStatus.Completed, again.Status);
        Assert.Equal("queued M-1", again.Entry!.Result);
        Assert.False((await Ledger.FindAsync("r1/2/0"))!.IsPending);
    }

    [Fact]
    public async Task A_call_reserved_by_an_earlier_owner_and_never_recorded_has_an_unknown_outcome_until_taken_over()
    {
        await Ledger.ReserveAsync(Reserve(1));
        await Workspace.Runs.ClaimAsync("r1", new RunOwner("B", "h", 2), T0 + Lease, Lease);

        var found = await Ledger.ReserveAsync(Reserve(2));
        var still = await Ledger.ReserveAsync(Reserve(2));
        var taken = await Ledger.ReserveAsync(Reserve(2) with { Repeat = true });

        Assert.Equal(ToolReservationStatus.OutcomeUnknown, found.Status);
        Assert.Equal(1, found.Entry!.Epoch);
        Assert.Equal(ToolReservationStatus.OutcomeUnknown, still.Status);
        Assert.Equal(ToolReservationStatus.Reserved, taken.Status);
        Assert.Equal(2, (await Ledger.FindAsync("r1/2/0"))!.Epoch);
        Assert.Equal(ToolReservationStatus.Reserved, (await Ledger.ReserveAsync(Reserve(2))).Status);
    }

    [Fact]
    public async Task A_reservation_under_a_stale_epoch_is_superseded_and_writes_nothing()
    {
        await Workspace.Runs.ClaimAsync("r1", new RunOwner("B", "h", 2), T0 + Lease, Lease);

        var stale = await Ledger.ReserveAsync(Reserve(1, key: "r1/3/0"));

        Assert.Equal(ToolReservationStatus.Superseded, stale.Status);
        Assert.Null(await Ledger.FindAsync("r1/3/0"));
    }

    [Fact]
    public async Task The_first_completion_stays_and_a_completion_ends_any_reservation()
    {
        await Ledger.ReserveAsync(Reserve(1));
        await Ledger.RecordAsync(Done(1, "first"));
        await Ledger.RecordAsync(Done(1, "second"));

        Assert.Equal("first", (await Ledger.FindAsync("r1/2/0"))!.Result);
        Assert.Equal(ToolReservationStatus.Completed, (await Ledger.ReserveAsync(Reserve(1))).Status);
    }

    [Fact]
    public async Task Calls_outside_a_run_are_not_fenced()
    {
        var outside = await Ledger.ReserveAsync(new ToolReservation("adhoc/1", "", 0, "send_email", "{}", T0));
        Assert.Equal(ToolReservationStatus.Reserved, outside.Status);
    }
}
