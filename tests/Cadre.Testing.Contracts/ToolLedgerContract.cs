using Cadre.Runs;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IToolLedger"/> must do: a recorded call is found by its key, and the first record of a
/// key wins, so a call is never recorded (or run) twice. A side-effecting call is reserved before it runs, fenced by
/// the run's epoch; a recorded call replays; a call reserved by an earlier owner and never recorded has an unknown
/// outcome and is taken over only when asked.</summary>
public abstract class ToolLedgerContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    protected IToolLedger Ledger { get; private set; } = null!;

    /// <summary>The run store whose epochs fence the ledger's reservations.</summary>
    protected IRunStore Runs { get; private set; } = null!;

    /// <summary>Opens an empty ledger.</summary>
    protected abstract Task<IToolLedger> CreateStoreAsync();

    /// <summary>Opens the run store of the ledger's workspace (called after <see cref="CreateStoreAsync"/>): the ledger
    /// reads a run's epoch from it.</summary>
    protected abstract Task<IRunStore> OpenRunsAsync();

    /// <summary>Opens the same ledger again (another connection, process or host); the same instance by default.</summary>
    protected virtual Task<IToolLedger> OpenAnotherAsync() => Task.FromResult(Ledger);

    public async Task InitializeAsync()
    {
        Ledger = await CreateStoreAsync();
        Runs = await OpenRunsAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static ToolLedgerEntry Entry(string key, string result = "sent") =>
        new(key, "send_email", "{\"to\":\"john@example.com\"}", result, ToolCallStatus.Succeeded, new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_recorded_call_is_found_by_its_key_and_the_first_record_wins()
    {
        await Ledger.RecordAsync(Entry("r1/1/0"));
        await Ledger.RecordAsync(Entry("r1/1/0", "sent again"));

        Assert.Equal(Entry("r1/1/0"), await Ledger.FindAsync("r1/1/0"));
        Assert.Null(await Ledger.FindAsync("r1/1/1"));
    }

    [Fact]
    public async Task Concurrent_writers_of_distinct_keys_lose_nothing_and_of_one_key_keep_one_record()
    {
        const int Writers = 8;
        var ledgers = new List<IToolLedger>();
        for (var i = 0; i < Writers; i++)
        {
            ledgers.Add(await OpenAnotherAsync());
        }

        await Task.WhenAll(ledgers.Select((ledger, w) => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await ledger.RecordAsync(Entry($"w{w}/{i}"));
                await ledger.RecordAsync(Entry("shared", $"writer {w}"));
            }
        })));

        for (var w = 0; w < Writers; w++)
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.NotNull(await Ledger.FindAsync($"w{w}/{i}"));
            }
        }

        Assert.StartsWith("writer ", (await Ledger.FindAsync("shared"))!.Result);
    }

    // Run r1, claimed by owner A under epoch 1.
    private async Task ClaimedRunAsync()
    {
        await Runs.CreateRunAsync(new RunRecord { Id = "r1", Workflow = "handoff", Task = "t", StartedAt = T0 }, [new ChatMessage(ChatRole.User, "t")], new WorkflowState { Task = "t", NextAgent = "a" });
        await Runs.ClaimAsync("r1", new RunOwner("A", "h", 1), T0, Lease);
    }

    private static ToolReservation Reserve(long epoch, string key = "r1/2/0", string arguments = """{"to":["john@example.com"]}""") =>
        new(key, "r1", epoch, "send_email", arguments, T0);

    private static ToolLedgerEntry Done(long epoch, string result = "queued M-1") =>
        new("r1/2/0", "send_email", """{"to":["john@example.com"]}""", result, ToolCallStatus.Succeeded, T0) { RunId = "r1", Epoch = epoch };

    [Fact]
    public async Task A_call_is_reserved_once_then_recorded_and_then_replayed()
    {
        await ClaimedRunAsync();

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
        await ClaimedRunAsync();
        await Ledger.ReserveAsync(Reserve(1));
        await Runs.ClaimAsync("r1", new RunOwner("B", "h", 2), T0 + Lease, Lease);

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
        await ClaimedRunAsync();
        await Runs.ClaimAsync("r1", new RunOwner("B", "h", 2), T0 + Lease, Lease);

        var stale = await Ledger.ReserveAsync(Reserve(1, key: "r1/3/0"));

        Assert.Equal(ToolReservationStatus.Superseded, stale.Status);
        Assert.Null(await Ledger.FindAsync("r1/3/0"));
    }

    [Fact]
    public async Task The_first_completion_stays_and_a_completion_ends_any_reservation()
    {
        await ClaimedRunAsync();
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
