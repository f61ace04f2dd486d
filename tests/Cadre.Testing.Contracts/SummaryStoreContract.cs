using Cadre.Conversations;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="ISummaryStore"/> must do: one summary per conversation, replaced by the next.</summary>
public abstract class SummaryStoreContract : IAsyncLifetime
{
    protected ISummaryStore Summaries { get; private set; } = null!;

    /// <summary>Opens an empty store.</summary>
    protected abstract Task<ISummaryStore> CreateStoreAsync();

    public async Task InitializeAsync() => Summaries = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_summary_reads_back_and_the_next_one_replaces_it()
    {
        var at = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        var first = new ConversationSummary("r-1", 3, "h3", "John was charged twice.", at);
        var second = new ConversationSummary("r-1", 5, "h5", "John was charged twice; refunded.", at.AddMinutes(5));

        await Summaries.SaveAsync(first);
        Assert.Equal(first, await Summaries.GetAsync("r-1"));
        await Summaries.SaveAsync(second);

        Assert.Equal(second, await Summaries.GetAsync("r-1"));
        Assert.Null(await Summaries.GetAsync("r-2"));
    }
}
