namespace Cadre.Memory;

/// <summary>Long-term memories kept in memory, with in-process BM25 and exact vector search: for tests and runs that
/// need not survive the process. Thread-safe.</summary>
public sealed class InMemoryMemoryStore : IMemoryStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Document, MemoryRecord Record)> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<long, MemoryRecord> _byDocument = [];
    private readonly Dictionary<(MemoryScope Scope, string Fingerprint), string> _fingerprints = [];
    private readonly KeywordIndex _keyword = new();
    private readonly Dictionary<string, VectorIndex> _vectors = new(StringComparer.Ordinal);
    private long _nextDocument;

    /// <inheritdoc />
    public Task<MemoryWriteResult> AddAsync(MemoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            return Task.FromResult(Add(record));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemoryWriteResult>> AddRangeAsync(IReadOnlyList<MemoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            IReadOnlyList<MemoryWriteResult> results = records.Select(Add).ToList();
            return Task.FromResult(results);
        }
    }

    /// <inheritdoc />
    public Task<MemoryRecord?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scope);
        lock (_gate)
        {
            return Task.FromResult(_byId.TryGetValue(id, out var entry) && scope.Sees(entry.Record.Scope) ? entry.Record : null);
        }
    }

    /// <inheritdoc />
    public Task<MemoryWriteResult> UpdateAsync(MemoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (!_byId.TryGetValue(record.Id, out var entry) || entry.Record.Scope != record.Scope)
            {
                return Task.FromResult(new MemoryWriteResult(MemoryWriteStatus.NotFound, null));
            }

            var old = entry.Record;
            if (_fingerprints.TryGetValue((record.Scope, record.Fingerprint), out var other) && other != record.Id)
            {
                return Task.FromResult(new MemoryWriteResult(MemoryWriteStatus.Duplicate, _byId[other].Record));
            }

            var updated = Copy(record) with { CreatedAt = old.CreatedAt };
            _fingerprints.Remove((old.Scope, old.Fingerprint));
            _fingerprints[(updated.Scope, updated.Fingerprint)] = updated.Id;
            Index(entry.Document, updated, old);
            return Task.FromResult(new MemoryWriteResult(MemoryWriteStatus.Updated, updated));
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scope);
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var entry) || !scope.Sees(entry.Record.Scope))
            {
                return Task.FromResult(false);
            }

            _byId.Remove(id);
            _byDocument.Remove(entry.Document);
            _fingerprints.Remove((entry.Record.Scope, entry.Record.Fingerprint));
            _keyword.Remove(entry.Document);
            foreach (var index in _vectors.Values)
            {
                index.Remove(entry.Document);
            }

            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemoryRecord>> ListAsync(MemoryScope scope, MemoryFilter? filter = null, int limit = 100, int offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        filter ??= MemoryFilter.None;
        lock (_gate)
        {
            IReadOnlyList<MemoryRecord> records = _byId.Values
                .Select(e => e.Record)
                .Where(r => scope.Sees(r.Scope) && filter.Matches(r))
                .OrderByDescending(r => r.CreatedAt)
                .ThenByDescending(r => _byId[r.Id].Document)
                .Skip(offset)
                .Take(limit)
                .ToList();
            return Task.FromResult(records);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountEmbeddingsAsync(MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        lock (_gate)
        {
            IReadOnlyDictionary<string, int> counts = _byId.Values
                .Select(e => e.Record)
                .Where(r => scope.Sees(r.Scope) && r.EmbeddingModel is not null && !r.Embedding.IsEmpty)
                .GroupBy(r => r.EmbeddingModel!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return Task.FromResult(counts);
        }
    }

    /// <inheritdoc />
    public Task<MemoryCandidates> SearchAsync(MemorySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        lock (_gate)
        {
            bool Visible(long document) =>
                _byDocument.TryGetValue(document, out var record) && search.Scope.Sees(record.Scope) && search.Filter.Matches(record);

            var keyword = string.IsNullOrWhiteSpace(search.Text)
                ? []
                : _keyword.Search(search.Text, search.Limit, Visible).Select(h => new ScoredMemory(_byDocument[h.Document], h.Score)).ToList();
            var vector = new List<ScoredMemory>();
            if (!search.Vector.IsEmpty && _vectors.TryGetValue(search.EmbeddingModel ?? "", out var index) && index.Dimensions == search.Vector.Length)
            {
                vector = index.Search(search.Vector.Span, search.Limit, (_, document) => Visible(document))
                    .Select(m => new ScoredMemory(_byDocument[m.Key], m.Similarity))
                    .ToList();
            }

            return Task.FromResult(new MemoryCandidates(keyword, vector));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var index in _vectors.Values)
            {
                index.Dispose();
            }

            _vectors.Clear();
        }
    }

    private MemoryWriteResult Add(MemoryRecord record)
    {
        if (_fingerprints.TryGetValue((record.Scope, record.Fingerprint), out var existing))
        {
            return new MemoryWriteResult(MemoryWriteStatus.Duplicate, _byId[existing].Record);
        }

        if (_byId.ContainsKey(record.Id))
        {
            throw new ArgumentException($"A memory with id '{record.Id}' is already stored.", nameof(record));
        }

        var copy = Copy(record);
        var document = ++_nextDocument;
        _fingerprints[(copy.Scope, copy.Fingerprint)] = copy.Id;
        Index(document, copy, null);
        return new MemoryWriteResult(MemoryWriteStatus.Added, copy);
    }

    private void Index(long document, MemoryRecord record, MemoryRecord? old)
    {
        _byId[record.Id] = (document, record);
        _byDocument[document] = record;
        _keyword.Upsert(document, record.Text);
        if (old?.EmbeddingModel is { } oldModel && _vectors.TryGetValue(oldModel, out var oldIndex))
        {
            oldIndex.Remove(document);
        }

        if (!record.Embedding.IsEmpty && record.EmbeddingModel is { } model)
        {
            if (!_vectors.TryGetValue(model, out var index) || index.Dimensions != record.Embedding.Length)
            {
                index?.Dispose();
                index = new VectorIndex(record.Embedding.Length);
                _vectors[model] = index;
            }

            index.Upsert(document, record.Embedding.Span);
        }
    }

    private static MemoryRecord Copy(MemoryRecord record) => record with
    {
        Metadata = new Dictionary<string, string>(record.Metadata, StringComparer.Ordinal),
        Embedding = record.Embedding.ToArray(),
    };
}
