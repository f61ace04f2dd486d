using Cadre.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Testing.Contracts;

/// <summary>
/// What every <see cref="IMemoryStore"/> must do, checked through <see cref="LongTermMemory"/>. A store implementation
/// (in memory, SQLite, later PostgreSQL) gets these tests by deriving a class that says how to create an empty store.
/// </summary>
public abstract class MemoryStoreContract : IAsyncLifetime
{
    private static readonly MemoryScope Acme = new("acme");
    private static readonly MemoryScope Support = new("acme", "support");
    private static readonly MemoryScope Billing = new("acme", "support", "billing");
    private static readonly MemoryScope Refunds = new("acme", "support", "refunds");
    private static readonly MemoryScope Sales = new("acme", "sales");
    private static readonly MemoryScope Globex = new("globex");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    protected IMemoryStore Store { get; private set; } = null!;

    protected LongTermMemory Memory { get; private set; } = null!;

    /// <summary>Creates an empty store.</summary>
    protected abstract Task<IMemoryStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        Memory = new LongTermMemory(Store, time: Time);
    }

    public virtual Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_stored_memory_reads_back_with_its_metadata_importance_source_and_times()
    {
        var stored = await Memory.StoreAsync("Ana Lima prefers phone calls over email.", Meta("customer", "C-1002"), Support, 0.8, new MemorySource("writer", "r1", "billing"));

        Assert.Equal(MemoryWriteStatus.Added, stored.Status);
        var read = await Memory.GetAsync(stored.Record!.Id, Support);
        Assert.NotNull(read);
        Assert.Equal("Ana Lima prefers phone calls over email.", read.Text);
        Assert.Equal(Support, read.Scope);
        Assert.Equal("C-1002", read.Metadata["customer"]);
        Assert.Equal(0.8, read.Importance, 6);
        Assert.Equal(new MemorySource("writer", "r1", "billing"), read.Source);
        Assert.Equal(Time.GetUtcNow(), read.CreatedAt);
        Assert.Equal(Time.GetUtcNow(), read.UpdatedAt);
        Assert.Equal(Memory.EmbeddingModel, read.EmbeddingModel);
        Assert.Matches("^m-[0-9a-f]{16}$", read.Id);
    }

    [Fact]
    public async Task A_tenants_keyword_search_finds_its_memory_when_another_tenant_has_thousands_of_newer_ones_with_the_same_word()
    {
        var globex = await Memory.StoreAsync("The refund desk opens at nine.", null, Globex);
        Time.Advance(TimeSpan.FromMinutes(1));
        var noise = Enumerable.Range(0, 2_000).Select(i => new MemoryRecord
        {
            Id = MemoryRecord.NewId(),
            Scope = Acme,
            Text = $"Refund request {i} for invoice INV-{10_000 + i}.",
        }).ToList();
        await Memory.StoreManyAsync(noise);

        var found = await Memory.RecallAsync(new MemoryQuery { Text = "refund", Scope = Globex, K = 3, Mode = RetrievalMode.Keyword });

        Assert.Equal(globex.Record!.Id, Assert.Single(found).Record.Id);
        Assert.Equal(3, (await Memory.RecallAsync(new MemoryQuery { Text = "refund", Scope = Acme, K = 3, Mode = RetrievalMode.Keyword })).Count);
    }

    [Fact]
    public async Task Keyword_ranking_weighs_words_by_the_readers_scope_not_by_other_tenants()
    {
        // In globex 'alpha' and 'beta' are equally rare, so the memory that says 'alpha' twice ranks first; in the
        // whole workspace 'alpha' is common (acme says it 300 times), which would put the 'beta' memory first.
        var twice = await Memory.StoreAsync("alpha alpha gamma", null, Globex);
        await Memory.StoreAsync("beta gamma delta", null, Globex);
        await Memory.StoreManyAsync(Enumerable.Range(0, 300).Select(i => new MemoryRecord { Id = MemoryRecord.NewId(), Scope = Acme, Text = $"alpha note {i}" }).ToList());

        var found = await Memory.RecallAsync(new MemoryQuery { Text = "alpha beta", Scope = Globex, K = 2, Mode = RetrievalMode.Keyword });

        Assert.Equal(2, found.Count);
        Assert.Equal(twice.Record!.Id, found[0].Record.Id);
    }

    [Fact]
    public async Task Keyword_ranking_puts_a_rare_word_above_a_common_word_said_many_times()
    {
        // BM25's inverse document frequency: 'invoice' is in every memory of the scope, 'refund' in one; a memory that
        // repeats the common word must not outrank the one holding the rare word (term counts alone would).
        var repeats = await Memory.StoreAsync("invoice invoice invoice invoice overdue", null, Support);
        var rare = await Memory.StoreAsync("refund approved for the customer", null, Support);
        await Memory.StoreManyAsync(Enumerable.Range(0, 40).Select(i => new MemoryRecord { Id = MemoryRecord.NewId(), Scope = Support, Text = $"invoice sent number {i}" }).ToList());

        var found = await Memory.RecallAsync(new MemoryQuery { Text = "invoice refund", Scope = Support, K = 3, Mode = RetrievalMode.Keyword });

        Assert.Equal(rare.Record!.Id, found[0].Record.Id);
        Assert.Equal(repeats.Record!.Id, found[1].Record.Id);
    }

    [Fact]
    public async Task An_exact_duplicate_in_the_same_scope_is_not_stored_twice_even_with_other_case_and_spacing()
    {
        var first = await Memory.StoreAsync("The customer prefers phone calls.", null, Support);
        Time.Advance(TimeSpan.FromMinutes(1));

        var second = await Memory.StoreAsync("  the customer   PREFERS phone calls. ", Meta("x", "y"), Support);

        Assert.Equal(MemoryWriteStatus.Duplicate, second.Status);
        Assert.Equal(first.Record!.Id, second.Record!.Id);
        Assert.Equal("The customer prefers phone calls.", second.Record.Text);
        Assert.Single(await Memory.ListAsync(Support));
    }

    [Fact]
    public async Task The_same_text_in_another_scope_is_a_separate_memory()
    {
        var a = await Memory.StoreAsync("Prefers phone calls.", null, Billing);
        var b = await Memory.StoreAsync("Prefers phone calls.", null, Refunds);

        Assert.Equal(MemoryWriteStatus.Added, b.Status);
        Assert.NotEqual(a.Record!.Id, b.Record!.Id);
    }

    [Fact]
    public async Task A_batch_store_adds_each_memory_and_reports_duplicates_within_the_batch()
    {
        var results = await Memory.StoreManyAsync([Draft("Likes jazz.", Acme), Draft("Likes rock.", Acme), Draft("likes jazz.", Acme)]);

        Assert.Equal([MemoryWriteStatus.Added, MemoryWriteStatus.Added, MemoryWriteStatus.Duplicate], results.Select(r => r.Status));
        Assert.Equal(results[0].Record!.Id, results[2].Record!.Id);
        Assert.Equal(2, (await Memory.ListAsync(Acme)).Count);
    }

    [Fact]
    public async Task Recall_ranks_the_memory_that_shares_the_query_words_first()
    {
        await SeedAsync(Support,
            "The customer's invoice INV-2001 was paid on time.",
            "Ana Lima prefers phone calls over email.",
            "The office closes at six on Fridays.",
            "Refunds reach the card within five business days.");

        var recalled = await Memory.RecallAsync("How does Ana want to be contacted: phone or email?", Support, k: 3);

        Assert.Equal("Ana Lima prefers phone calls over email.", recalled[0].Record.Text);
        Assert.NotNull(recalled[0].KeywordRank);
        Assert.NotNull(recalled[0].VectorRank);
        Assert.True(recalled[0].Score >= recalled[^1].Score);
    }

    [Fact]
    public async Task Keyword_only_recall_uses_bm25_and_vector_only_recall_uses_embeddings()
    {
        await SeedAsync(Support, "Wei uses the telephone for everything.", "Wei reads the newsletter.", "Invoices are sent monthly.");

        var byKeyword = await Memory.RecallAsync(new MemoryQuery { Text = "newsletter", Scope = Support, K = 3, Mode = RetrievalMode.Keyword });
        var byVector = await Memory.RecallAsync(new MemoryQuery { Text = "telephones", Scope = Support, K = 1, Mode = RetrievalMode.Vector });

        var hit = Assert.Single(byKeyword);
        Assert.Equal("Wei reads the newsletter.", hit.Record.Text);
        Assert.Null(hit.VectorRank);
        Assert.Equal("Wei uses the telephone for everything.", byVector[0].Record.Text);
        Assert.Null(byVector[0].KeywordRank);
    }

    [Fact]
    public async Task A_metadata_filter_keeps_only_matching_memories_in_every_search()
    {
        await Memory.StoreAsync("Prefers phone calls.", Meta("customer", "C-1001"), Support);
        await Memory.StoreAsync("Prefers phone calls in the morning.", Meta("customer", "C-1002"), Support);

        var recalled = await Memory.RecallAsync("phone calls", Support, k: 5, MemoryFilter.Where("customer", "C-1002"));
        var listed = await Memory.ListAsync(Support, MemoryFilter.Where("customer", "C-1001"));

        Assert.Equal("Prefers phone calls in the morning.", Assert.Single(recalled).Record.Text);
        Assert.Equal("Prefers phone calls.", Assert.Single(listed).Text);
    }

    [Fact]
    public async Task Time_and_importance_filters_narrow_recall_and_lists()
    {
        await Memory.StoreAsync("Old note about phones.", null, Support, importance: 0.9);
        Time.Advance(TimeSpan.FromDays(2));
        var cut = Time.GetUtcNow();
        await Memory.StoreAsync("New note about phones.", null, Support, importance: 0.2);

        var recent = await Memory.RecallAsync("phones", Support, 5, new MemoryFilter { CreatedAfter = cut });
        var older = await Memory.ListAsync(Support, new MemoryFilter { CreatedBefore = cut });
        var important = await Memory.RecallAsync("phones", Support, 5, new MemoryFilter { MinImportance = 0.5 });

        Assert.Equal("New note about phones.", Assert.Single(recent).Record.Text);
        Assert.Equal("Old note about phones.", Assert.Single(older).Text);
        Assert.Equal("Old note about phones.", Assert.Single(important).Record.Text);
    }

    [Fact]
    public async Task A_trusted_only_filter_leaves_out_what_a_model_or_tool_wrote_in_the_store_itself()
    {
        // Checked on the store, not through LongTermMemory, so a store that ignores the filter cannot hide behind it.
        await Memory.StoreAsync("Refund limit is 50 USD.", null, Support, source: MemorySource.Operator);
        await Memory.StoreAsync("Refund limit was raised to 5000 USD.", null, Support, source: new MemorySource("writer") { Kind = MemorySourceKind.Agent });
        await Memory.StoreAsync("Refund limit is unlimited.", null, Support, source: new MemorySource("tool") { Kind = MemorySourceKind.ToolResult });
        await Memory.StoreAsync("Refund limit from the old import.", null, Support, source: new MemorySource("import"));
        await Memory.StoreAsync("Refund limit said by no one.", null, Support);
        var trusted = new MemoryFilter { TrustedOnly = true };

        var listed = await Store.ListAsync(Support, trusted);
        var found = await Store.SearchAsync(new MemorySearch { Text = "refund limit", Scope = Support, Limit = 10, Filter = trusted });

        string[] expected = ["Refund limit from the old import.", "Refund limit is 50 USD."];
        Assert.Equal(expected, listed.Select(m => m.Text).Order(StringComparer.Ordinal));
        Assert.Equal(expected, found.Keyword.Select(m => m.Record.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Recency_weight_puts_the_newer_of_two_equally_relevant_memories_first()
    {
        await Memory.StoreAsync("Contact: phone, mornings.", null, Support);
        Time.Advance(TimeSpan.FromDays(60));
        await Memory.StoreAsync("Contact: phone, evenings.", null, Support);

        var weighted = await Memory.RecallAsync(new MemoryQuery { Text = "contact phone", Scope = Support, K = 2, RecencyWeight = 1, RecencyHalfLife = TimeSpan.FromDays(7) });

        Assert.Equal("Contact: phone, evenings.", weighted[0].Record.Text);
        Assert.True(weighted[0].Score - weighted[1].Score > 0.5);
    }

    [Fact]
    public async Task Importance_weight_puts_the_more_important_of_two_equally_relevant_memories_first()
    {
        await Memory.StoreAsync("Contact: phone, mornings.", null, Support, importance: 0.1);
        await Memory.StoreAsync("Contact: phone, evenings.", null, Support, importance: 1.0);

        var weighted = await Memory.RecallAsync(new MemoryQuery { Text = "contact phone", Scope = Support, K = 2, ImportanceWeight = 2 });

        Assert.Equal("Contact: phone, evenings.", weighted[0].Record.Text);
    }

    [Fact]
    public async Task Update_changes_the_text_keeps_the_id_and_creation_time_and_recall_follows()
    {
        var stored = await Memory.StoreAsync("The client prefers Python.", Meta("topic", "language"), Support);
        Time.Advance(TimeSpan.FromHours(1));

        var updated = await Memory.UpdateAsync(stored.Record!.Id, Support, "The client now prefers Go.");

        Assert.Equal(MemoryWriteStatus.Updated, updated.Status);
        var read = await Memory.GetAsync(stored.Record.Id, Support);
        Assert.Equal("The client now prefers Go.", read!.Text);
        Assert.Equal("language", read.Metadata["topic"]);
        Assert.Equal(stored.Record.CreatedAt, read.CreatedAt);
        Assert.Equal(Time.GetUtcNow(), read.UpdatedAt);
        Assert.Empty(await Memory.RecallAsync(new MemoryQuery { Text = "Python", Scope = Support, Mode = RetrievalMode.Keyword }));
        Assert.Equal(stored.Record.Id, (await Memory.RecallAsync(new MemoryQuery { Text = "Go", Scope = Support, Mode = RetrievalMode.Keyword }))[0].Record.Id);
    }

    [Fact]
    public async Task An_update_that_would_duplicate_another_memory_changes_nothing()
    {
        var python = await Memory.StoreAsync("Prefers Python.", null, Support);
        await Memory.StoreAsync("Prefers Go.", null, Support);

        var result = await Memory.UpdateAsync(python.Record!.Id, Support, "prefers go.");

        Assert.Equal(MemoryWriteStatus.Duplicate, result.Status);
        Assert.Equal("Prefers Go.", result.Record!.Text);
        Assert.Equal("Prefers Python.", (await Memory.GetAsync(python.Record.Id, Support))!.Text);
    }

    [Fact]
    public async Task A_forgotten_memory_is_gone_from_get_list_and_both_searches()
    {
        var stored = await Memory.StoreAsync("Secret fallback phone number 555-0100.", null, Support);
        await Memory.RecallAsync("phone number", Support); // load any index first

        Assert.True(await Memory.ForgetAsync(stored.Record!.Id, Support));

        Assert.Null(await Memory.GetAsync(stored.Record.Id, Support));
        Assert.Empty(await Memory.ListAsync(Support));
        Assert.Empty(await Memory.RecallAsync("phone number 555-0100", Support));
        Assert.False(await Memory.ForgetAsync(stored.Record.Id, Support));
    }

    [Fact]
    public async Task A_reader_sees_its_own_line_of_scopes_and_never_a_sibling_or_another_tenant()
    {
        await Memory.StoreAsync("tenant note about phones", null, Acme);
        await Memory.StoreAsync("team note about phones", null, Support);
        await Memory.StoreAsync("billing note about phones", null, Billing);
        await Memory.StoreAsync("refunds note about phones", null, Refunds);
        await Memory.StoreAsync("sales note about phones", null, Sales);
        await Memory.StoreAsync("globex note about phones", null, Globex);

        async Task<string[]> Seen(MemoryScope scope) =>
            (await Memory.RecallAsync("note about phones", scope, k: 10)).Select(r => r.Record.Text.Split(' ')[0]).Order().ToArray();

        Assert.Equal(["billing", "team", "tenant"], await Seen(Billing));
        Assert.Equal(["billing", "refunds", "team", "tenant"], await Seen(Support));
        Assert.Equal(["billing", "refunds", "sales", "team", "tenant"], await Seen(Acme));
        Assert.Equal(["globex"], await Seen(Globex));
        Assert.Equal(["sales", "tenant"], (await Memory.ListAsync(Sales)).Select(r => r.Text.Split(' ')[0]).Order().ToArray());
    }

    [Fact]
    public async Task Reads_updates_and_deletes_from_outside_the_scope_find_nothing()
    {
        var billing = await Memory.StoreAsync("billing only", null, Billing);
        var id = billing.Record!.Id;

        Assert.Null(await Memory.GetAsync(id, Refunds));
        Assert.Null(await Memory.GetAsync(id, Globex));
        Assert.Equal(MemoryWriteStatus.NotFound, (await Memory.UpdateAsync(id, Refunds, "changed")).Status);
        Assert.False(await Memory.ForgetAsync(id, new MemoryScope("globex", "support", "billing")));
        Assert.Equal("billing only", (await Memory.GetAsync(id, Billing))!.Text);
    }

    [Fact]
    public async Task Lists_are_newest_first_and_page_with_limit_and_offset()
    {
        foreach (var n in new[] { "one", "two", "three", "four" })
        {
            await Memory.StoreAsync($"note {n}", null, Acme);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["note four", "note three"], (await Memory.ListAsync(Acme, limit: 2)).Select(r => r.Text));
        Assert.Equal(["note two", "note one"], (await Memory.ListAsync(Acme, limit: 2, offset: 2)).Select(r => r.Text));
    }

    [Fact]
    public async Task Recall_refuses_to_mix_embedding_models_in_a_scope_and_says_how_to_reembed()
    {
        await Memory.StoreAsync("Wei uses the telephone for everything.", null, Support);
        var other = new LongTermMemory(Store, new HashingEmbeddingGenerator(128), Time);

        var error = await Assert.ThrowsAsync<EmbeddingMismatchException>(() => other.RecallAsync(new MemoryQuery { Text = "telephones", Scope = Support }));
        Assert.Contains("cadre memory reembed --scope acme/support", error.Message);
        Assert.Contains(Memory.EmbeddingModel, error.Message);
        await Assert.ThrowsAsync<EmbeddingMismatchException>(() => other.StoreAsync("Another note.", null, Support));
        Assert.Single(await other.RecallAsync(new MemoryQuery { Text = "telephone", Scope = Support, Mode = RetrievalMode.Keyword }));
        Assert.Equal(1, (await Store.CountEmbeddingsAsync(Support))[Memory.EmbeddingModel]);
    }

    [Fact]
    public async Task Reindex_embeds_memories_of_another_model_so_vector_search_finds_them_and_resumes_without_duplicates()
    {
        for (var i = 0; i < 150; i++)
        {
            await Memory.StoreAsync($"Wei uses the telephone for call {i}.", null, Support);
        }

        var other = new LongTermMemory(Store, new HashingEmbeddingGenerator(128), Time);
        using (var cancel = new CancellationTokenSource())
        {
            var seen = new List<ReindexProgress>();
            var progress = new SynchronousProgress(p =>
            {
                seen.Add(p);
                if (p.Done >= 64)
                {
                    cancel.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => other.ReindexAsync(Support, progress, cancel.Token));
            Assert.Equal(new ReindexProgress(0, 150), seen[0]);
        }

        Assert.Equal(150 - 64, await other.ReindexAsync(Support));
        Assert.Equal(10, (await other.RecallAsync(new MemoryQuery { Text = "telephones", Scope = Support, K = 10, Mode = RetrievalMode.Vector })).Count);
        Assert.Equal(0, await other.ReindexAsync(Support));
        Assert.Equal(150, (await Store.ListAsync(Support, limit: 1_000)).Count);
        Assert.Equal(new Dictionary<string, int> { [other.EmbeddingModel] = 150 }, await Store.CountEmbeddingsAsync(Support));
    }

    private sealed class SynchronousProgress(Action<ReindexProgress> report) : IProgress<ReindexProgress>
    {
        public void Report(ReindexProgress value) => report(value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task No_query_ever_returns_a_memory_outside_the_readers_line_of_scopes(int seed)
    {
        var random = new Random(seed);
        string[] words = ["phone", "email", "invoice", "refund", "card", "plan", "call", "morning", "evening", "python", "go", "jazz"];
        var scopes = new List<MemoryScope>();
        foreach (var tenant in new[] { "t1", "t2", "t3" })
        {
            scopes.Add(new MemoryScope(tenant));
            foreach (var team in new[] { "a", "b" })
            {
                scopes.Add(new MemoryScope(tenant, team));
                scopes.Add(new MemoryScope(tenant, team, "x"));
                scopes.Add(new MemoryScope(tenant, team, "y"));
            }

            scopes.Add(new MemoryScope(tenant, null, "x"));
        }

        string Sentence() => string.Join(' ', Enumerable.Range(0, random.Next(2, 6)).Select(_ => words[random.Next(words.Length)]));
        var drafts = Enumerable.Range(0, 150).Select(_ => Draft(Sentence(), scopes[random.Next(scopes.Count)])).ToList();
        var stored = (await Memory.StoreManyAsync(drafts)).Where(r => r.Status == MemoryWriteStatus.Added).Select(r => r.Record!).ToList();

        for (var q = 0; q < 40; q++)
        {
            var reader = scopes[random.Next(scopes.Count)];
            var recalled = await Memory.RecallAsync(Sentence(), reader, k: 20);
            Assert.All(recalled, r => Assert.True(reader.Sees(r.Record.Scope), $"{reader} must not see {r.Record.Scope}"));
            Assert.All(recalled, r => Assert.Equal(reader.Tenant, r.Record.Scope.Tenant));
            var listed = await Memory.ListAsync(reader, limit: 1000);
            Assert.Equal(stored.Where(s => reader.Sees(s.Scope)).Select(s => s.Id).Order(), listed.Select(l => l.Id).Order());
            var probe = stored[random.Next(stored.Count)];
            Assert.Equal(reader.Sees(probe.Scope), await Memory.GetAsync(probe.Id, reader) is not null);
        }
    }

    protected static Dictionary<string, string> Meta(string key, string value) => new() { [key] = value };

    protected static MemoryRecord Draft(string text, MemoryScope scope) => new() { Id = MemoryRecord.NewId(), Scope = scope, Text = text };

    protected async Task SeedAsync(MemoryScope scope, params string[] texts)
    {
        foreach (var text in texts)
        {
            await Memory.StoreAsync(text, null, scope);
        }
    }
}
