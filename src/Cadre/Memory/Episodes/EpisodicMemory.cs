using Microsoft.Extensions.AI;

namespace Cadre.Memory.Episodes;

/// <summary>
/// Episodic memory: remembers runs as episodes and recalls the ones most like a new task, ranked by similarity (the
/// same hybrid retrieval as long-term memory: BM25 ∪ embeddings, fused by reciprocal rank) and recency; and the
/// lessons learned for a kind of task.
/// </summary>
public sealed class EpisodicMemory
{
    private readonly TimeProvider _time;

    /// <summary>Creates episodic memory over a store.</summary>
    /// <param name="store">Where episodes are kept.</param>
    /// <param name="embeddings">Embeds tasks; <see cref="HashingEmbeddingGenerator.Default"/> when null.</param>
    /// <param name="time">The clock that stamps what is written (<see cref="TimeProvider.System"/> when null; a <c>FakeTimeProvider</c> in tests).</param>
    /// <param name="options">Recency weight and half-life, similarity floor and how many recent episodes are ranked;
    /// the defaults when null.</param>
    public EpisodicMemory(IEpisodeStore store, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, TimeProvider? time = null, EpisodicMemoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Embeddings = embeddings ?? HashingEmbeddingGenerator.Default;
        EmbeddingModel = EmbeddingText.ModelOf(Embeddings);
        Options = options ?? new EpisodicMemoryOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Where the episodes are kept.</summary>
    public IEpisodeStore Store { get; }

    /// <summary>Embeds every episode recorded and every task recalled with; the caller who gave it keeps owning
    /// it.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Embeddings { get; }

    /// <summary>The embedding model's id, recorded with every episode's embedding.</summary>
    public string EmbeddingModel { get; }

    /// <summary>Recency weight and half-life, similarity floor and how many recent episodes are ranked.</summary>
    public EpisodicMemoryOptions Options { get; }

    /// <summary>Records an episode (replacing an earlier recording of the same id), embedding it for recall.</summary>
    /// <param name="episode">The episode; its <see cref="Episode.RecordedAt"/> is set to now when unset.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The episode as stored.</returns>
    public async Task<Episode> RecordAsync(Episode episode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(episode);
        ArgumentException.ThrowIfNullOrWhiteSpace(episode.Task);
        var stored = episode with
        {
            Lessons = episode.Lessons.Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
            RecordedAt = episode.RecordedAt == default ? MemoryClock.Now(_time) : episode.RecordedAt,
        };
        stored = stored with
        {
            Embedding = await EmbeddingText.EmbedAsync(Embeddings, stored.SearchText, cancellationToken),
            EmbeddingModel = EmbeddingModel,
        };
        await Store.SaveAsync(stored, cancellationToken);
        return stored;
    }

    /// <summary>Adds lessons to a recorded episode (a person's review, say).</summary>
    /// <param name="id">The episode's id (the run's id for an episode recorded from a run).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="lessons">Lessons to add after the ones it has; each is trimmed, blank ones and repeats are
    /// dropped.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The episode as stored.</returns>
    /// <exception cref="KeyNotFoundException">No such episode is visible in the scope.</exception>
    public async Task<Episode> AddLessonsAsync(string id, MemoryScope scope, IEnumerable<string> lessons, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lessons);
        var episode = await Store.GetAsync(id, scope, cancellationToken)
            ?? throw new KeyNotFoundException($"No episode '{id}' is visible in scope {scope}.");
        return await RecordAsync(episode with { Lessons = [.. episode.Lessons, .. lessons] }, cancellationToken);
    }

    /// <summary>Reads one episode by its id, with its embedding.</summary>
    /// <param name="id">The episode's id (the run's id for an episode recorded from a run).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The episode, or null.</returns>
    public Task<Episode?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default) =>
        Store.GetAsync(id, scope, cancellationToken);

    /// <summary>Lists episodes, most recent first.</summary>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    public Task<IReadOnlyList<Episode>> ListAsync(MemoryScope scope, int limit = 100, CancellationToken cancellationToken = default) =>
        Store.ListAsync(scope, limit, cancellationToken);

    /// <summary>The <paramref name="k"/> past episodes most like <paramref name="task"/>, by similarity and
    /// recency.</summary>
    /// <param name="task">The new task's text, compared with past episodes' tasks, types and lessons.</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="k">At most this many, best first; fewer when fewer match.</param>
    /// <param name="cancellationToken">Cancels the recall; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The episodes, best first.</returns>
    public async Task<IReadOnlyList<SimilarEpisode>> RecallSimilarAsync(string task, MemoryScope scope, int k = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(scope);
        var ranked = await RankAsync(task, scope, null, cancellationToken);
        return ranked.Take(Math.Max(0, k)).ToList();
    }

    /// <summary>The lessons learned for a kind of task: lessons of the episodes whose type and task are most like
    /// <paramref name="taskType"/> (an exact type match counts most), by similarity and recency, each lesson once.</summary>
    /// <param name="taskType">The kind of task (<c>billing/refund</c>) or a task text.</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="k">At most this many lessons, best first; fewer when fewer were learned.</param>
    /// <param name="cancellationToken">Cancels the recall; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The lessons, best first.</returns>
    public async Task<IReadOnlyList<Lesson>> LessonsForAsync(string taskType, MemoryScope scope, int k = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskType);
        ArgumentNullException.ThrowIfNull(scope);
        var ranked = await RankAsync(taskType, scope, taskType, cancellationToken);
        return LessonsOf(ranked).Take(Math.Max(0, k)).ToList();
    }

    /// <summary>The lessons of ranked episodes, best first, each lesson once.</summary>
    /// <param name="episodes">The episodes, best first.</param>
    public static IEnumerable<Lesson> LessonsOf(IEnumerable<SimilarEpisode> episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var similar in episodes)
        {
            foreach (var text in similar.Episode.Lessons)
            {
                if (seen.Add(MemoryRecord.FingerprintOf(text)))
                {
                    yield return new Lesson(text, similar.Episode, similar.Score);
                }
            }
        }
    }

    private async Task<List<SimilarEpisode>> RankAsync(string query, MemoryScope scope, string? taskType, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var episodes = await Store.ListAsync(scope, Options.Window, cancellationToken);
        if (episodes.Count == 0)
        {
            return [];
        }

        // Episodes embedded by another model are embedded again for this ranking (not stored).
        var stale = episodes.Where(e => e.EmbeddingModel != EmbeddingModel || e.Embedding.IsEmpty).ToList();
        var fresh = await EmbeddingText.EmbedAsync(Embeddings, stale.Select(e => e.SearchText).ToList(), cancellationToken);
        var vectors = new Dictionary<Episode, ReadOnlyMemory<float>>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < stale.Count; i++)
        {
            vectors[stale[i]] = fresh[i];
        }

        var queryVector = await EmbeddingText.EmbedQueryAsync(Embeddings, query, cancellationToken);
        var ranked = HybridRanker.Rank(query, queryVector, episodes.Select(e => e.SearchText).ToList(), episodes.Select(e => vectors.GetValueOrDefault(e, e.Embedding)).ToList(), minSimilarity: Options.MinSimilarity);
        var now = _time.GetUtcNow();
        return ranked
            .Select(r =>
            {
                var episode = episodes[r.Index];
                var relevance = taskType is not null && string.Equals(episode.TaskType, taskType.Trim(), StringComparison.OrdinalIgnoreCase)
                    ? 1.0
                    : r.Relevance;
                var age = Math.Max(0, (now - episode.RecordedAt).TotalSeconds);
                var recency = Math.Pow(0.5, age / Math.Max(1, Options.RecencyHalfLife.TotalSeconds));
                return new SimilarEpisode(episode, relevance + (Options.RecencyWeight * recency), relevance);
            })
            .OrderByDescending(s => s.Score)
            .ToList();
    }
}
