using Cadre.Resilience;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IDeadLetterStore"/> must do: a letter reads back whole by id or unique prefix, lists
/// newest first by status, and is resolved once.</summary>
public abstract class DeadLetterStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    protected IDeadLetterStore Letters { get; private set; } = null!;

    /// <summary>Opens an empty store.</summary>
    protected abstract Task<IDeadLetterStore> CreateStoreAsync();

    public async Task InitializeAsync() => Letters = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static DeadLetter Letter(string id, int minutes) => new()
    {
        Id = id, RunId = "r-1", Workflow = "handoff", Task = "charged twice", Step = 2, Agent = "billing",
        Error = "the model is unavailable", ErrorType = "ModelUnavailableException", CreatedAt = Start.AddMinutes(minutes),
        Attempts = [new CallAttempt(Start, "openai:gpt-4o-mini", "full", 1, "503", "HttpRequestException")],
        Inputs = new Dictionary<string, string> { ["task"] = "charged twice" },
    };

    [Fact]
    public async Task A_letter_reads_back_whole_by_id_or_unique_prefix()
    {
        await Letters.AddAsync(Letter("dl-aa1", 0));
        await Letters.AddAsync(Letter("dl-ab2", 1));

        var read = await Letters.GetAsync("dl-aa1");

        Assert.NotNull(read);
        Assert.Equal("billing", read.Agent);
        Assert.Equal(Letter("dl-aa1", 0).Attempts, read.Attempts);
        Assert.Equal("charged twice", read.Inputs["task"]);
        Assert.Equal(Start, read.CreatedAt);
        Assert.Equal("dl-ab2", (await Letters.GetAsync("dl-ab"))!.Id);
        Assert.Null(await Letters.GetAsync("dl-a"));
        Assert.Null(await Letters.GetAsync("none"));
    }

    [Fact]
    public async Task Letters_list_newest_first_by_status_and_resolve_once_known()
    {
        await Letters.AddAsync(Letter("dl-1", 0));
        await Letters.AddAsync(Letter("dl-2", 1));
        await Letters.AddAsync(Letter("dl-3", 2));

        Assert.True(await Letters.ResolveAsync("dl-2", DeadLetterStatus.Discarded, "duplicate", Start.AddHours(1)));
        Assert.False(await Letters.ResolveAsync("dl-none", DeadLetterStatus.Discarded, "x", Start));

        Assert.Equal(["dl-3", "dl-2", "dl-1"], (await Letters.ListAsync()).Select(l => l.Id));
        Assert.Equal(["dl-3", "dl-1"], (await Letters.ListAsync(DeadLetterStatus.Pending)).Select(l => l.Id));
        Assert.Equal(["dl-3"], (await Letters.ListAsync(limit: 1)).Select(l => l.Id));
        var resolved = Assert.Single(await Letters.ListAsync(DeadLetterStatus.Discarded));
        Assert.Equal("duplicate", resolved.Resolution);
        Assert.Equal(Start.AddHours(1), resolved.ResolvedAt);
    }
}
