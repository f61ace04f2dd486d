namespace Cadre.Memory;

/// <summary>
/// Keeps long-term memories: text, metadata and embeddings, with keyword (BM25) and vector search. Every read and write
/// names a <see cref="MemoryScope"/>: nothing outside the scope's line is ever read, changed or returned. Exact
/// duplicates (<see cref="MemoryRecord.Fingerprint"/>) are never stored twice in one scope. Implementations: in memory,
/// the workspace's SQLite file; every implementation passes the same contract tests.
/// </summary>
public interface IMemoryStore
{
    /// <summary>Stores a memory, unless an exact duplicate is already stored in its scope.</summary>
    /// <param name="record">The memory, with its embedding if it has one.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns><see cref="MemoryWriteStatus.Added"/> with the memory, or <see cref="MemoryWriteStatus.Duplicate"/>
    /// with the one already stored.</returns>
    Task<MemoryWriteResult> AddAsync(MemoryRecord record, CancellationToken cancellationToken = default);

    /// <summary>Stores many memories in one transaction, each as <see cref="AddAsync"/> would.</summary>
    /// <param name="records">The memories to store, each with its id, scope and (if it has one) embedding.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>One result per memory, in order.</returns>
    Task<IReadOnlyList<MemoryWriteResult>> AddRangeAsync(IReadOnlyList<MemoryRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads one memory by its full id.</summary>
    /// <param name="id">The memory's full id (<c>m-</c> and 16 hex digits); no prefix matching.</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The memory, or null when there is none visible in <paramref name="scope"/>.</returns>
    Task<MemoryRecord?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default);

    /// <summary>Replaces a memory's text, metadata, importance, embedding and update time. The memory is found by
    /// <see cref="MemoryRecord.Id"/> and must be stored at exactly <see cref="MemoryRecord.Scope"/>; its creation time
    /// and id do not change.</summary>
    /// <param name="record">The memory as it should be.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns><see cref="MemoryWriteStatus.Updated"/>; <see cref="MemoryWriteStatus.NotFound"/>; or
    /// <see cref="MemoryWriteStatus.Duplicate"/> with the other memory when the new text duplicates another memory of
    /// the scope (nothing changes then).</returns>
    Task<MemoryWriteResult> UpdateAsync(MemoryRecord record, CancellationToken cancellationToken = default);

    /// <summary>Deletes one memory for good.</summary>
    /// <param name="id">The memory's full id (<c>m-</c> and 16 hex digits).</param>
    /// <param name="scope">The reader's scope; a memory it does not see is not deleted.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>True when a memory was deleted.</returns>
    Task<bool> DeleteAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default);

    /// <summary>Lists memories visible in a scope, newest first.</summary>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="filter">Metadata, creation time, importance and trust the memories must match; null lists all
    /// the scope sees.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="offset">Skips this many first (for paging).</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<MemoryRecord>> ListAsync(MemoryScope scope, MemoryFilter? filter = null, int limit = 100, int offset = 0, CancellationToken cancellationToken = default);

    /// <summary>Finds candidates for recall: keyword (BM25) matches of <see cref="MemorySearch.Text"/> and nearest
    /// neighbours of <see cref="MemorySearch.Vector"/>, within the scope and filter.</summary>
    Task<MemoryCandidates> SearchAsync(MemorySearch search, CancellationToken cancellationToken = default);

    /// <summary>How many memories visible in a scope carry an embedding of each model (memories without one are not
    /// counted). <see cref="LongTermMemory"/> uses it to refuse mixing embedding models in a scope. The default pages
    /// through <see cref="ListAsync"/>; stores override it with one query.</summary>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>Memories per embedding model id.</returns>
    async Task<IReadOnlyDictionary<string, int>> CountEmbeddingsAsync(MemoryScope scope, CancellationToken cancellationToken = default)
    {
        const int Page = 1_000;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += Page)
        {
            var page = await ListAsync(scope, null, Page, offset, cancellationToken);
            foreach (var model in page.Select(r => r.EmbeddingModel).OfType<string>())
            {
                counts[model] = counts.GetValueOrDefault(model) + 1;
            }

            if (page.Count < Page)
            {
                return counts;
            }
        }
    }
}
