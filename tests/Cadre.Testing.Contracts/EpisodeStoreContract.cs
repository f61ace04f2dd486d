using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IEpisodeStore"/> must do, checked through <see cref="EpisodicMemory"/>.</summary>
public abstract class EpisodeStoreContract : IAsyncLifetime
{
    protected static readonly MemoryScope Acme = new("acme");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    protected EpisodicMemory Episodes { get; private set; } = null!;

    protected abstract Task<IEpisodeStore> CreateStoreAsync();

    public async Task InitializeAsync() => Episodes = new EpisodicMemory(await CreateStoreAsync(), time: Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static Episode Episode(string id, string task, string type = "", EpisodeOutcome outcome = EpisodeOutcome.Success, params string[] lessons) => new()
    {
        Id = id,
        Scope = Acme,
        Task = task,
        TaskType = type,
        Agents = ["triage", "billing"],
        Steps = [new EpisodeStep("triage", ["search_customer"], "billing"), new EpisodeStep("billing", ["lookup_invoice", "create_ticket"])],
        Outcome = outcome,
        Result = "done",
        Lessons = lessons,
        StartedAt = new DateTimeOffset(2026, 11, 1, 8, 59, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(42.5),
        Usage = new TokenUsage(1200, 300),
        Cost = 0.0123m,
    };

    [Fact]
    public async Task A_recorded_episode_reads_back_whole()
    {
        var recorded = await Episodes.RecordAsync(Episode("r1", "john@example.com was charged twice", "billing/duplicate-charge", EpisodeOutcome.Escalated, "Check the charges first."));

        var read = await Episodes.GetAsync("r1", Acme);

        Assert.NotNull(read);
        Assert.Equal("john@example.com was charged twice", read.Task);
        Assert.Equal("billing/duplicate-charge", read.TaskType);
        Assert.Equal(["triage", "billing"], read.Agents);
        Assert.Equal(new EpisodeStep("triage", ["search_customer"], "billing").ToString(), read.Steps[0].ToString());
        Assert.Equal(["lookup_invoice", "create_ticket"], read.Steps[1].Tools);
        Assert.Equal(EpisodeOutcome.Escalated, read.Outcome);
        Assert.Equal(["Check the charges first."], read.Lessons);
        Assert.Equal(TimeSpan.FromSeconds(42.5), read.Duration);
        Assert.Equal(new TokenUsage(1200, 300), read.Usage);
        Assert.Equal(0.0123m, read.Cost);
        Assert.Equal(Time.GetUtcNow(), read.RecordedAt);
        Assert.Equal(recorded.Embedding.ToArray(), read.Embedding.ToArray());
        Assert.Equal(Episodes.EmbeddingModel, read.EmbeddingModel);
    }

    [Fact]
    public async Task Recording_the_same_episode_again_replaces_it()
    {
        await Episodes.RecordAsync(Episode("r1", "task", outcome: EpisodeOutcome.Failure));
        await Episodes.RecordAsync(Episode("r1", "task", outcome: EpisodeOutcome.Success, lessons: "Retry worked."));

        var all = await Episodes.ListAsync(Acme);

        Assert.Equal(EpisodeOutcome.Success, Assert.Single(all).Outcome);
    }

    [Fact]
    public async Task Similar_episodes_rank_by_similarity_and_then_recency()
    {
        await Episodes.RecordAsync(Episode("r1", "john@example.com was charged twice for INV-1001"));
        Time.Advance(TimeSpan.FromDays(1));
        await Episodes.RecordAsync(Episode("r2", "the login page shows an error 500"));
        Time.Advance(TimeSpan.FromDays(1));
        await Episodes.RecordAsync(Episode("r3", "ana was charged twice for INV-2001"));

        var similar = await Episodes.RecallSimilarAsync("wei was charged twice for INV-3001", Acme, k: 3);

        Assert.Equal(["r3", "r1"], similar.Take(2).Select(s => s.Episode.Id));
        Assert.True(similar[0].Score > similar[1].Score);
        Assert.DoesNotContain(similar.Take(2), s => s.Episode.Id == "r2");
    }

    [Fact]
    public async Task Lessons_for_a_task_type_come_from_matching_episodes_best_first_each_once()
    {
        await Episodes.RecordAsync(Episode("r1", "charged twice", "billing/duplicate-charge", EpisodeOutcome.Success, "Check the charges before refunding.", "Quote the ticket id."));
        Time.Advance(TimeSpan.FromDays(3));
        await Episodes.RecordAsync(Episode("r2", "cannot log in", "technical/login", EpisodeOutcome.Failure, "Reset the session first."));
        await Episodes.RecordAsync(Episode("r3", "double charge", "billing/duplicate-charge", EpisodeOutcome.Success, "quote the ticket id."));

        var lessons = await Episodes.LessonsForAsync("billing/duplicate-charge", Acme);

        Assert.Equal(["quote the ticket id.", "Check the charges before refunding."], lessons.Select(l => l.Text));
        Assert.Equal("r3", lessons[0].Episode.Id);
        Assert.Contains("(from r3, success, 2026-11-04)", lessons[0].ToString());
    }

    [Fact]
    public async Task Episodes_of_another_tenant_are_never_recalled()
    {
        await Episodes.RecordAsync(Episode("r1", "charged twice") with { Scope = new MemoryScope("globex") });

        Assert.Empty(await Episodes.RecallSimilarAsync("charged twice", Acme));
        Assert.Null(await Episodes.GetAsync("r1", Acme));
        Assert.Single(await Episodes.RecallSimilarAsync("charged twice", new MemoryScope("globex")));
    }

    [Fact]
    public async Task Lessons_can_be_added_to_a_recorded_episode()
    {
        await Episodes.RecordAsync(Episode("r1", "charged twice", "billing"));

        await Episodes.AddLessonsAsync("r1", Acme, ["Ask for the card's last four digits."]);

        Assert.Equal(["Ask for the card's last four digits."], (await Episodes.LessonsForAsync("billing", Acme)).Select(l => l.Text));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Episodes.AddLessonsAsync("nope", Acme, ["x"]));
    }
}
