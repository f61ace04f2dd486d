using Cadre.Agents;
using Cadre.Tools;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IToolLedger"/> must do: a recorded call is found by its key, and the first record of a
/// key wins, so a call is never recorded (or run) twice.</summary>
public abstract class ToolLedgerContract : IAsyncLifetime
{
    protected IToolLedger Ledger { get; private set; } = null!;

    /// <summary>Opens an empty ledger.</summary>
    protected abstract Task<IToolLedger> CreateStoreAsync();

    /// <summary>Opens the same ledger again (another connection, process or host); the same instance by default.</summary>
    protected virtual Task<IToolLedger> OpenAnotherAsync() => Task.FromResult(Ledger);

    public async Task InitializeAsync() => Ledger = await CreateStoreAsync();

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
}
