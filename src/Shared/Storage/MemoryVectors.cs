using System.Data.Common;
using Cadre.Memory;

namespace Cadre.Storage;

/// <summary>
/// A memory store's in-process <see cref="VectorIndex"/>, loaded from the <c>memories</c> table's embeddings on first
/// use and kept current from the <c>memory_changes</c> log that the table's triggers write, so writes by other
/// connections, processes and hosts are seen before every search. Vectors are labelled with their scope so a search
/// skips scopes its reader does not see; rows are checked again in SQL when loaded. The SQLite and PostgreSQL stores
/// differ only in how they open a connection, take a snapshot and encode a vector.
/// </summary>
internal abstract class MemoryVectors : IDisposable
{
    private readonly VectorIndexOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<MemoryScope, int> _labels = [];
    private readonly List<MemoryScope> _scopes = [];
    private long _applied = -1;

    protected MemoryVectors(VectorIndexOptions options) => _options = options;

    /// <summary>The index, null before the first sync.</summary>
    public VectorIndex? Index { get; private set; }

    /// <summary>The embedding model the index holds vectors of; null before the first sync.</summary>
    public string? Model { get; private set; }

    /// <summary>The parameter prefix of the dialect (<c>$</c> or <c>@</c>).</summary>
    protected abstract char Prefix { get; }

    /// <summary>How many change-log entries behind the last applied one to read again: PostgreSQL hands out identity
    /// values before commit, so a change committed late may carry a number below one already applied.</summary>
    protected virtual long RereadWindow => 0;

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a read transaction in which every query sees the same snapshot.</summary>
    protected abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Reads a non-null embedding column; the span is valid until the next call.</summary>
    protected abstract ReadOnlySpan<float> ReadVector(DbDataReader reader, int ordinal);

    /// <summary>Loads the index for <paramref name="model"/>, or applies the changes logged since the last sync; reloads
    /// when the model changed or the log was pruned past the last applied change.</summary>
    public async Task SyncAsync(string model, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var latest = await ScalarAsync(connection, null, "SELECT coalesce(max(seq), 0) FROM memory_changes;", cancellationToken);
            if (Model == model && latest == _applied)
            {
                return;
            }

            var oldest = await ScalarAsync(connection, null, "SELECT coalesce(min(seq), 0) FROM memory_changes;", cancellationToken);
            if (Model != model || oldest > _applied + 1 || latest < _applied)
            {
                await ReloadAsync(connection, model, cancellationToken);
                return;
            }

            await using var changed = connection.CreateCommand();
            changed.CommandText = $"""
                SELECT c.memory_seq, m.tenant, m.team, m.agent, m.embedding, m.embedding_model
                FROM (SELECT DISTINCT memory_seq FROM memory_changes WHERE seq > {Prefix}from AND seq <= {Prefix}to) c
                LEFT JOIN memories m ON m.seq = c.memory_seq;
                """;
            Add(changed, "from", Math.Max(0, _applied - RereadWindow));
            Add(changed, "to", latest);
            await using var reader = await changed.ExecuteReaderAsync(cancellationToken);
            Index = await ApplyAsync(reader, model, Index, cancellationToken);
            _applied = latest;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The nearest memories to the search's vector among those its scope sees and its filter passes, best
    /// first. <paramref name="load"/> reads the records of the given row numbers that the scope sees and the filter
    /// passes (the others are left out).</summary>
    public async Task<List<ScoredMemory>> SearchAsync(
        MemorySearch search, Func<DbConnection, IReadOnlyList<long>, CancellationToken, Task<Dictionary<long, MemoryRecord>>> load, CancellationToken cancellationToken)
    {
        await SyncAsync(search.EmbeddingModel!, cancellationToken);
        var index = Index;
        if (index is null || index.Dimensions != search.Vector.Length || search.Limit <= 0)
        {
            return [];
        }

        bool[] visible;
        lock (_labels)
        {
            visible = _scopes.Select(search.Scope.Sees).ToArray();
        }

        bool Accept(int label, long key) => label < visible.Length && visible[label];
        // When the reader sees every scope loaded so far, skip the check per vector; rows are checked again when loaded.
        Func<int, long, bool>? accept = visible.All(v => v) ? null : Accept;
        var wanted = search.Limit;
        var fetch = search.Filter.IsEmpty ? wanted : wanted * 4;
        await using var connection = await OpenAsync(cancellationToken);
        while (true)
        {
            var matches = index.Search(search.Vector.Span, fetch, accept);
            var records = await load(connection, matches.Select(m => m.Key).ToList(), cancellationToken);
            var hits = matches
                .Where(m => records.ContainsKey(m.Key))
                .Select(m => new ScoredMemory(records[m.Key], m.Similarity))
                .Take(wanted)
                .ToList();
            // With a metadata filter, look further until enough pass it or the index is exhausted.
            if (hits.Count >= wanted || matches.Count < fetch || fetch >= index.Count)
            {
                return hits;
            }

            fetch = (int)Math.Min((long)fetch * 4, index.Count);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Index?.Dispose();
        _gate.Dispose();
    }

    private async Task ReloadAsync(DbConnection connection, string model, CancellationToken cancellationToken)
    {
        // A new index is built aside and swapped in; the old one is left to searches still using it (not disposed).
        // One snapshot: the rows and the change log position agree.
        await using var transaction = await BeginSnapshotAsync(connection, cancellationToken);
        var latest = await ScalarAsync(connection, transaction, "SELECT coalesce(max(seq), 0) FROM memory_changes;", cancellationToken);
        await using var all = connection.CreateCommand();
        all.Transaction = transaction;
        all.CommandText = $"SELECT seq, tenant, team, agent, embedding, embedding_model FROM memories WHERE embedding_model = {Prefix}model AND embedding IS NOT NULL;";
        Add(all, "model", model);
        await using var reader = await all.ExecuteReaderAsync(cancellationToken);
        Index = await ApplyAsync(reader, model, null, cancellationToken);
        Model = model;
        _applied = latest;
    }

    /// <summary>Applies rows (seq, scope, embedding, model) to an index: rows of the model are added or replaced, others
    /// (deleted rows come back as nulls) removed. Returns the index (a new one when there was none or the dimensions
    /// changed).</summary>
    private async Task<VectorIndex?> ApplyAsync(DbDataReader reader, string model, VectorIndex? index, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(0);
            if (reader.IsDBNull(4) || reader.IsDBNull(5) || reader.GetString(5) != model)
            {
                index?.Remove(seq);
                continue;
            }

            var vector = ReadVector(reader, 4);
            if (index is null || index.Dimensions != vector.Length)
            {
                index = new VectorIndex(vector.Length, _options);
            }

            index.Upsert(seq, vector, Label(new MemoryScope(reader.GetString(1), reader.GetString(2), reader.GetString(3))));
        }

        return index;
    }

    private int Label(MemoryScope scope)
    {
        lock (_labels)
        {
            if (!_labels.TryGetValue(scope, out var label))
            {
                label = _scopes.Count;
                _scopes.Add(scope);
                _labels[scope] = label;
            }

            return label;
        }
    }

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = Prefix + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
