using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>
/// Long-term memory: stores texts with metadata in an <see cref="IMemoryStore"/>, embeds them, and recalls by hybrid
/// retrieval — keyword (BM25) and vector candidates fused on calibrated scores (<see cref="ScoreFusion"/>), conversation
/// turns lifted by their neighbours (<see cref="ConversationTurns"/>), optionally weighed by recency and importance,
/// within a <see cref="MemoryScope"/> and a <see cref="MemoryFilter"/>. Exact duplicates are never stored
/// twice. Embeddings come from any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>; the local
/// <see cref="HashingEmbeddingGenerator"/> when none is given.
/// </summary>
public sealed class LongTermMemory
{
    /// <summary>The longest text a memory may hold (characters).</summary>
    public const int MaxTextLength = 32_000;

    private readonly TimeProvider _time;

    // Scopes found to hold no other model's embeddings; checked once per scope for this memory's life.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<MemoryScope, bool> _oneModel = new();

    /// <summary>Creates long-term memory over a store.</summary>
    /// <param name="store">Where memories are kept.</param>
    /// <param name="embeddings">Embeds texts; <see cref="HashingEmbeddingGenerator.Default"/> when null.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    public LongTermMemory(IMemoryStore store, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Embeddings = embeddings ?? HashingEmbeddingGenerator.Default;
        EmbeddingModel = EmbeddingText.ModelOf(Embeddings);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Where the memories are kept.</summary>
    public IMemoryStore Store { get; }

    /// <summary>Embeds every memory this instance stores and every query it recalls with; the caller who gave it keeps
    /// owning it.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Embeddings { get; }

    /// <summary>The embedding model's id, recorded with every embedding.</summary>
    public string EmbeddingModel { get; }

    /// <summary>Stores a memory (nothing new when an exact duplicate is already stored in the scope).</summary>
    /// <param name="text">What to remember; trimmed, not blank, at most <see cref="MaxTextLength"/> characters.</param>
    /// <param name="metadata">Labels to filter by.</param>
    /// <param name="scope">The scope to write at, exactly; duplicates are looked for there only.</param>
    /// <param name="importance">How much it matters, 0..1.</param>
    /// <param name="source">What wrote it, which decides how far it is trusted; <see cref="MemorySource.Api"/>
    /// (untrusted) when null.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>What happened and the stored memory.</returns>
    public async Task<MemoryWriteResult> StoreAsync(
        string text,
        IReadOnlyDictionary<string, string>? metadata,
        MemoryScope scope,
        double importance = 0.5,
        MemorySource? source = null,
        CancellationToken cancellationToken = default)
    {
        var record = Draft(text, metadata, scope, importance, source);
        await EnsureOneModelAsync(scope, cancellationToken);
        var vector = await EmbeddingText.EmbedAsync(Embeddings, record.Text, cancellationToken);
        return await Store.AddAsync(record with { Embedding = vector, EmbeddingModel = EmbeddingModel }, cancellationToken);
    }

    /// <summary>Stores many memories in one transaction. Memories without an embedding are embedded in one batch;
    /// memories that carry one keep it (and their <see cref="MemoryRecord.EmbeddingModel"/>).</summary>
    /// <param name="records">The memories (make ids with <see cref="MemoryRecord.NewId"/>; unset times become now).</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>One result per memory.</returns>
    public async Task<IReadOnlyList<MemoryWriteResult>> StoreManyAsync(IReadOnlyList<MemoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var now = Now();
        var prepared = records.Select(r => Draft(r.Text, r.Metadata, r.Scope, r.Importance, r.Source) with
        {
            Id = r.Id,
            CreatedAt = r.CreatedAt == default ? now : r.CreatedAt,
            UpdatedAt = r.UpdatedAt == default ? (r.CreatedAt == default ? now : r.CreatedAt) : r.UpdatedAt,
            Embedding = r.Embedding,
            EmbeddingModel = r.Embedding.IsEmpty ? null : r.EmbeddingModel ?? EmbeddingModel,
        }).ToArray();
        if (prepared.FirstOrDefault(r => !r.Embedding.IsEmpty && r.EmbeddingModel != EmbeddingModel) is { } foreign)
        {
            throw new ArgumentException($"Memory '{foreign.Id}' carries an embedding of {foreign.EmbeddingModel}, but this memory embeds with {EmbeddingModel}; leave its embedding empty to have it embedded, or use a LongTermMemory with that model.", nameof(records));
        }

        foreach (var scope in prepared.Select(r => r.Scope).Distinct())
        {
            await EnsureOneModelAsync(scope, cancellationToken);
        }

        var missing = Enumerable.Range(0, prepared.Length).Where(i => prepared[i].Embedding.IsEmpty).ToList();
        var vectors = await EmbeddingText.EmbedAsync(Embeddings, missing.Select(i => prepared[i].Text).ToList(), cancellationToken);
        for (var j = 0; j < missing.Count; j++)
        {
            prepared[missing[j]] = prepared[missing[j]] with { Embedding = vectors[j], EmbeddingModel = EmbeddingModel };
        }

        return await Store.AddRangeAsync(prepared, cancellationToken);
    }

    /// <summary>Recalls the <paramref name="k"/> memories most relevant to <paramref name="query"/>.</summary>
    /// <param name="query">What to recall (a question, the task, the latest message); blank recalls nothing.</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="k">At most this many, best first; fewer when fewer match.</param>
    /// <param name="filter">Metadata, creation time, importance and trust the memories must match; null matches
    /// all.</param>
    /// <param name="cancellationToken">Cancels the recall; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The memories, best first.</returns>
    public Task<IReadOnlyList<RecalledMemory>> RecallAsync(string query, MemoryScope scope, int k = 5, MemoryFilter? filter = null, CancellationToken cancellationToken = default) =>
        RecallAsync(new MemoryQuery { Text = query, Scope = scope, K = k, Filter = filter ?? MemoryFilter.None }, cancellationToken);

    /// <summary>Recalls memories for a query with all its options.</summary>
    /// <param name="query">The text, scope, how many, the searches and their weights; a blank text or a
    /// <see cref="MemoryQuery.K"/> of 0 recalls nothing.</param>
    /// <param name="cancellationToken">Cancels the recall; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The memories, best first.</returns>
    public async Task<IReadOnlyList<RecalledMemory>> RecallAsync(MemoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Text);
        ArgumentNullException.ThrowIfNull(query.Scope);
        ArgumentOutOfRangeException.ThrowIfNegative(query.K);
        if (query.K == 0 || string.IsNullOrWhiteSpace(query.Text))
        {
            return [];
        }

        var vector = query.Vector;
        if (query.Mode != RetrievalMode.Keyword)
        {
            await EnsureOneModelAsync(query.Scope, cancellationToken);
        }

        if (query.Mode != RetrievalMode.Keyword && vector.IsEmpty)
        {
            vector = await EmbeddingText.EmbedQueryAsync(Embeddings, query.Text, cancellationToken);
        }

        var candidates = await Store.SearchAsync(new MemorySearch
        {
            Scope = query.Scope,
            Text = query.Mode == RetrievalMode.Vector ? "" : query.Text,
            Vector = query.Mode == RetrievalMode.Keyword ? default : vector,
            EmbeddingModel = EmbeddingModel,
            Filter = query.Filter,
            Limit = query.Candidates ?? Math.Max(4 * query.K, 20),
        }, cancellationToken);

        var records = new Dictionary<string, MemoryRecord>(StringComparer.Ordinal);
        foreach (var candidate in candidates.Keyword.Concat(candidates.Vector))
        {
            records.TryAdd(candidate.Record.Id, candidate.Record);
        }

        var keyword = candidates.Keyword.Select(c => KeyValuePair.Create(c.Record.Id, c.Score)).ToList();
        var similar = candidates.Vector.Where(c => c.Score >= query.MinSimilarity).Select(c => KeyValuePair.Create(c.Record.Id, c.Score)).ToList();
        var keywordIds = keyword.Select(k => k.Key).ToList();
        var vectorIds = similar.Select(k => k.Key).ToList();
        double[] weights = [query.KeywordWeight, query.VectorWeight];
        IReadOnlyList<KeyValuePair<string, double>> fused;
        if (query.Fusion == FusionMethod.Reciprocal)
        {
            var best = RankFusion.BestScore(weights.Where((w, i) => i == 0 ? keyword.Count > 0 : similar.Count > 0).DefaultIfEmpty(1));
            fused = RankFusion.Reciprocal<string>([keywordIds, vectorIds], weights).Select(f => KeyValuePair.Create(f.Key, f.Value / best)).ToList();
        }
        else
        {
            fused = WithNeighbours(ScoreFusion.Calibrated<string>([keyword, similar], weights), records, query.NeighbourWeight);
        }

        var now = _time.GetUtcNow();
        return fused
            .Select(f =>
            {
                var record = records[f.Key];
                var relevance = f.Value;
                var age = Math.Max(0, (now - record.UpdatedAt).TotalSeconds);
                var recency = Math.Pow(0.5, age / Math.Max(1, query.RecencyHalfLife.TotalSeconds));
                var score = relevance + (query.RecencyWeight * recency) + (query.ImportanceWeight * record.Importance);
                var keywordRank = keywordIds.IndexOf(f.Key);
                var vectorRank = vectorIds.IndexOf(f.Key);
                return new RecalledMemory(record, score, relevance, keywordRank < 0 ? null : keywordRank + 1, vectorRank < 0 ? null : vectorRank + 1);
            })
            .Where(r => r.Relevance >= query.MinRelevance)
            .OrderByDescending(r => r.Score)
            .Take(query.K)
            .ToList();
    }

    /// <summary>Adds to each conversation turn a share of its best neighbouring turn's score (see
    /// <see cref="ConversationTurns"/>), then rescales to 0..1.</summary>
    private static IReadOnlyList<KeyValuePair<string, double>> WithNeighbours(IReadOnlyList<KeyValuePair<string, double>> fused, Dictionary<string, MemoryRecord> records, double weight)
    {
        if (weight <= 0 || fused.Count == 0)
        {
            return fused;
        }

        var byPosition = new Dictionary<(string, int), double>();
        foreach (var (id, score) in fused)
        {
            if (ConversationTurns.PositionOf(records[id]) is { } position)
            {
                byPosition[position] = score;
            }
        }

        if (byPosition.Count == 0)
        {
            return fused;
        }

        var lifted = fused.Select(f =>
        {
            if (ConversationTurns.PositionOf(records[f.Key]) is not var (thread, turn))
            {
                return f;
            }

            var neighbour = Math.Max(byPosition.GetValueOrDefault((thread, turn - 1)), byPosition.GetValueOrDefault((thread, turn + 1)));
            return KeyValuePair.Create(f.Key, f.Value + (weight * neighbour));
        }).ToList();
        var max = lifted.Max(l => l.Value);
        return lifted
            .Select((l, order) => (Item: KeyValuePair.Create(l.Key, max > 0 ? l.Value / max : 0), Order: order))
            .OrderByDescending(x => x.Item.Value)
            .ThenBy(x => x.Order)
            .Select(x => x.Item)
            .ToList();
    }

    /// <summary>Reads one memory by its full id.</summary>
    /// <param name="id">The memory's full id (<c>m-</c> and 16 hex digits).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The memory, or null when none is visible.</returns>
    public Task<MemoryRecord?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default) =>
        Store.GetAsync(id, scope, cancellationToken);

    /// <summary>Changes a memory's text (and, when given, its metadata and importance); it is embedded again.</summary>
    /// <param name="id">The memory's full id (<c>m-</c> and 16 hex digits).</param>
    /// <param name="scope">The reader's scope; a memory it does not see is not changed.</param>
    /// <param name="text">The text that replaces the old one; trimmed, not blank, at most <see cref="MaxTextLength"/>
    /// characters.</param>
    /// <param name="metadata">New metadata, or null to keep it.</param>
    /// <param name="importance">New importance, or null to keep it.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    public async Task<MemoryWriteResult> UpdateAsync(
        string id,
        MemoryScope scope,
        string text,
        IReadOnlyDictionary<string, string>? metadata = null,
        double? importance = null,
        CancellationToken cancellationToken = default)
    {
        var existing = await Store.GetAsync(id, scope, cancellationToken);
        if (existing is null)
        {
            return new MemoryWriteResult(MemoryWriteStatus.NotFound, null);
        }

        var draft = Draft(text, metadata ?? existing.Metadata, existing.Scope, importance ?? existing.Importance, existing.Source);
        await EnsureOneModelAsync(existing.Scope, cancellationToken);
        var vector = await EmbeddingText.EmbedAsync(Embeddings, draft.Text, cancellationToken);
        return await Store.UpdateAsync(existing with
        {
            Text = draft.Text,
            Metadata = draft.Metadata,
            Importance = draft.Importance,
            UpdatedAt = draft.UpdatedAt,
            Embedding = vector,
            EmbeddingModel = EmbeddingModel,
        }, cancellationToken);
    }

    /// <summary>Forgets (deletes) a memory.</summary>
    /// <param name="id">The memory's full id (<c>m-</c> and 16 hex digits).</param>
    /// <param name="scope">The reader's scope; a memory it does not see is not deleted.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>True when a memory was forgotten.</returns>
    public Task<bool> ForgetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default) =>
        Store.DeleteAsync(id, scope, cancellationToken);

    /// <summary>Lists memories visible in a scope, newest first.</summary>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="filter">Metadata, creation time, importance and trust the memories must match; null lists all
    /// the scope sees.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="offset">How many of the newest to skip first (for paging).</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    public Task<IReadOnlyList<MemoryRecord>> ListAsync(MemoryScope scope, MemoryFilter? filter = null, int limit = 100, int offset = 0, CancellationToken cancellationToken = default) =>
        Store.ListAsync(scope, filter, limit, offset, cancellationToken);

    /// <summary>Embeds again, with this memory's generator, every memory visible in <paramref name="scope"/> that was
    /// embedded by another model or not at all (after switching embedding models): until then recall in the scope refuses
    /// to mix them. Batches are written as they are embedded, so cancelling keeps the work done and running again
    /// resumes with the memories still left; nothing is duplicated.</summary>
    /// <param name="scope">The reader's scope: every memory it sees (<see cref="MemoryScope.Sees"/>) is checked,
    /// above and below it too.</param>
    /// <param name="progress">Told after every batch how many memories are done of how many.</param>
    /// <param name="cancellationToken">Cancels the work between batches.</param>
    /// <returns>How many memories were embedded again.</returns>
    public async Task<int> ReindexAsync(MemoryScope scope, IProgress<ReindexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        const int Page = 1_000;
        const int Batch = 64;
        var stale = new List<MemoryRecord>();
        for (var offset = 0; ; offset += Page)
        {
            var page = await Store.ListAsync(scope, null, Page, offset, cancellationToken);
            stale.AddRange(page.Where(r => r.EmbeddingModel != EmbeddingModel));
            if (page.Count < Page)
            {
                break;
            }
        }

        var done = 0;
        progress?.Report(new ReindexProgress(0, stale.Count));
        foreach (var batch in stale.Chunk(Batch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vectors = await EmbeddingText.EmbedAsync(Embeddings, batch.Select(r => r.Text).ToList(), cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                await Store.UpdateAsync(batch[i] with { Embedding = vectors[i], EmbeddingModel = EmbeddingModel }, CancellationToken.None);
            }

            done += batch.Length;
            progress?.Report(new ReindexProgress(done, stale.Count));
        }

        _oneModel.Clear();
        return stale.Count;
    }

    /// <summary>Refuses to go on when the scope holds embeddings of another model (see
    /// <see cref="EmbeddingMismatchException"/>).</summary>
    private async Task EnsureOneModelAsync(MemoryScope scope, CancellationToken cancellationToken)
    {
        if (_oneModel.ContainsKey(scope))
        {
            return;
        }

        var others = (await Store.CountEmbeddingsAsync(scope, cancellationToken))
            .Where(c => c.Key != EmbeddingModel && c.Value > 0)
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        if (others.Count > 0)
        {
            throw new EmbeddingMismatchException(scope, others, EmbeddingModel);
        }

        _oneModel[scope] = true;
    }

    private MemoryRecord Draft(string text, IReadOnlyDictionary<string, string>? metadata, MemoryScope scope, double importance, MemorySource? source)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        if (text.Length > MaxTextLength)
        {
            throw new ArgumentException($"A memory holds at most {MaxTextLength} characters; this one has {text.Length}. Store a summary or split it.", nameof(text));
        }

        if (double.IsNaN(importance) || importance is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(importance), importance, "Importance is a number from 0 to 1.");
        }

        var now = Now();
        return new MemoryRecord
        {
            Id = MemoryRecord.NewId(),
            Scope = scope,
            Text = text,
            Metadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            Importance = importance,
            CreatedAt = now,
            UpdatedAt = now,
            Source = source ?? MemorySource.Api,
        };
    }

    private DateTimeOffset Now() => MemoryClock.Now(_time);
}
