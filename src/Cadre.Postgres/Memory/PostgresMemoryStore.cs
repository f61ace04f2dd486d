using System.Globalization;
using System.Text;
using System.Text.Json;
using Cadre.Memory;
using Cadre.Workspaces;
using Npgsql;
using NpgsqlTypes;

namespace Cadre.Postgres.Memory;

/// <summary>
/// Long-term memories in PostgreSQL. Keyword search is PostgreSQL full-text search: a generated, weighted
/// <c>tsvector</c> over each memory's search terms (<see cref="TextTerms.Keywords"/>, the terms every Cadre store
/// ranks) with a GIN index, queried with <c>websearch_to_tsquery</c> and ranked by <see cref="Bm25"/> in process with the
/// reader's own term statistics (as SQLite ranks), always within the
/// reader's scope. Embeddings are stored as <c>real[]</c> with the embedder's name; vector search runs on an in-process
/// <see cref="VectorIndex"/> loaded from the table on first use and kept current from a change log that triggers
/// write. Every change also sends a <c>NOTIFY</c>; the store listens and applies other hosts' changes as they commit,
/// so a search rarely has anything left to load, and it still checks the log before searching, so it never misses a
/// committed memory.
/// </summary>
public sealed class PostgresMemoryStore : IMemoryStore, IAsyncDisposable, IDisposable
{
    /// <summary>The channel that memory changes are announced on.</summary>
    public const string Channel = "cadre_memory";

    // The change log keeps this many entries; a reader that falls further behind reloads its vector index.
    private const int ChangeLogRetention = 100_000;
    // Keyword search ranks at most this many matches.
    private const int MaxRankedMatches = 2_000;
    private const string Columns = "m.seq, m.id, m.tenant, m.team, m.agent, m.text, m.metadata::text, m.importance, m.created_at, m.updated_at, m.source, m.embedding_model";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE memories (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            tenant text NOT NULL,
            team text NOT NULL,
            agent text NOT NULL,
            text text NOT NULL,
            terms text NOT NULL,
            search tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', terms), 'A')) STORED,
            fingerprint bytea NOT NULL,
            metadata jsonb NOT NULL DEFAULT '{}',
            importance double precision NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            source text,
            embedding real[],
            embedding_model text);
        CREATE UNIQUE INDEX memories_fingerprint ON memories(tenant, team, agent, fingerprint);
        CREATE INDEX memories_by_scope ON memories(tenant, team, agent, created_at);
        CREATE INDEX memories_search ON memories USING gin (search);
        CREATE TABLE memory_changes (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, memory_seq bigint NOT NULL);
        CREATE FUNCTION cadre_memory_changed() RETURNS trigger LANGUAGE plpgsql AS
        'BEGIN
            INSERT INTO memory_changes(memory_seq) VALUES (CASE WHEN TG_OP = ''DELETE'' THEN OLD.seq ELSE NEW.seq END);
            PERFORM pg_notify(''cadre_memory'', '''');
            RETURN NULL;
        END';
        CREATE TRIGGER memories_changed AFTER INSERT OR UPDATE OR DELETE ON memories FOR EACH ROW EXECUTE FUNCTION cadre_memory_changed();
        """,
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PostgresDatabase _database;
    private readonly VectorIndexOptions _indexOptions;
    private readonly SemaphoreSlim _indexGate = new(1, 1);
    private readonly Dictionary<MemoryScope, int> _labels = [];
    private readonly List<MemoryScope> _scopes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listener;
    private VectorIndex? _index;
    private string? _indexModel;
    private long _appliedChange = -1;
    private long _notifications;

    private PostgresMemoryStore(PostgresDatabase database, VectorIndexOptions indexOptions, bool serverHasPgVector)
    {
        _database = database;
        _indexOptions = indexOptions;
        ServerHasPgVector = serverHasPgVector;
        _listener = Task.Run(() => ListenAsync(_stop.Token));
    }

    /// <summary>True when the server offers the pgvector extension. Vector search still runs in process: the pgvector
    /// (HNSW) path is not built yet, see docs/postgres.md.</summary>
    public bool ServerHasPgVector { get; }

    /// <summary>How many change notifications this store has received from the server (its own writes included).</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    /// <summary>How many vectors the in-process index holds (0 before the first vector search).</summary>
    public int IndexedVectors => _index?.Count ?? 0;

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables, and starts listening for
    /// other hosts' changes.</summary>
    /// <param name="database">The database.</param>
    /// <param name="indexOptions">How the in-process vector index searches.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The store.</returns>
    public static async Task<PostgresMemoryStore> OpenAsync(PostgresDatabase database, VectorIndexOptions? indexOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("memory", Migrations, cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var pgvector = await PostgresCommands.ScalarAsync(connection, null, "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector';", cancellationToken) > 0;
        return new PostgresMemoryStore(database, indexOptions ?? new VectorIndexOptions(), pgvector);
    }

    /// <inheritdoc />
    public async Task<MemoryWriteResult> AddAsync(MemoryRecord record, CancellationToken cancellationToken = default) =>
        (await AddRangeAsync([record ?? throw new ArgumentNullException(nameof(record))], cancellationToken))[0];

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryWriteResult>> AddRangeAsync(IReadOnlyList<MemoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record);
        }

        var results = new List<MemoryWriteResult>(records.Count);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Every insert of the batch in one round trip; each says whether it stored its row or met a duplicate.
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var record in records)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO memories(id, tenant, team, agent, text, terms, fingerprint, metadata, importance, created_at, updated_at, source, embedding, embedding_model)
                VALUES (@id, @t, @tm, @ag, @text, @terms, @fp, @metadata, @importance, @created, @updated, @source, @embedding, @model)
                ON CONFLICT (tenant, team, agent, fingerprint) DO NOTHING;
                """);
            Bind(Parameters(insert.Parameters), record);
            batch.BatchCommands.Add(insert);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            var ids = string.Join(", ", records.Select(r => $"'{r.Id}'").Take(5));
            throw new ArgumentException($"A memory with one of the ids {ids}{(records.Count > 5 ? ", ..." : "")} is already stored ({ex.Detail}).", nameof(records), ex);
        }

        for (var i = 0; i < records.Count; i++)
        {
            results.Add(batch.BatchCommands[i].RecordsAffected == 1
                ? new MemoryWriteResult(MemoryWriteStatus.Added, records[i])
                : new MemoryWriteResult(MemoryWriteStatus.Duplicate, await FindByFingerprintAsync(connection, transaction, records[i].Scope, records[i].Fingerprint, cancellationToken)));
        }

        await PruneChangesAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <inheritdoc />
    public async Task<MemoryRecord?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, $"SELECT {Columns}, m.embedding FROM memories m WHERE m.id = @id AND {ScopeSql.Visible("m")};", ("id", id));
        ScopeSql.Bind(command, scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var record = Read(reader);
        return reader.IsDBNull(12) ? record : record with { Embedding = reader.GetFieldValue<float[]>(12) };
    }

    /// <inheritdoc />
    public async Task<MemoryWriteResult> UpdateAsync(MemoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var find = PostgresCommands.Command(connection, transaction, $"SELECT m.created_at FROM memories m WHERE m.id = @id AND {ScopeSql.Exactly("m")} FOR UPDATE;", ("id", record.Id)))
        {
            ScopeSql.Bind(find, record.Scope);
            if (await find.ExecuteScalarAsync(cancellationToken) is not DateTime created)
            {
                return new MemoryWriteResult(MemoryWriteStatus.NotFound, null);
            }

            record = record with { CreatedAt = new DateTimeOffset(created, TimeSpan.Zero) };
        }

        var other = await FindByFingerprintAsync(connection, transaction, record.Scope, record.Fingerprint, cancellationToken);
        if (other is not null && other.Id != record.Id)
        {
            return new MemoryWriteResult(MemoryWriteStatus.Duplicate, other);
        }

        await using var update = PostgresCommands.Command(connection, transaction, """
            UPDATE memories SET text = @text, terms = @terms, fingerprint = @fp, metadata = @metadata, importance = @importance, updated_at = @updated,
                source = @source, embedding = @embedding, embedding_model = @model
            WHERE id = @id AND tenant = @t AND team = @tm AND agent = @ag;
            """);
        Bind(Parameters(update.Parameters), record);
        await update.ExecuteNonQueryAsync(cancellationToken);
        await PruneChangesAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MemoryWriteResult(MemoryWriteStatus.Updated, record);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, $"DELETE FROM memories AS m WHERE m.id = @id AND {ScopeSql.Visible("m")};", ("id", id));
        ScopeSql.Bind(command, scope);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryRecord>> ListAsync(MemoryScope scope, MemoryFilter? filter = null, int limit = 100, int offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var where = new StringBuilder(ScopeSql.Visible("m"));
        AddFilter(command, where, filter ?? MemoryFilter.None);
        command.CommandText = $"SELECT {Columns} FROM memories m WHERE {where} ORDER BY m.created_at DESC, m.seq DESC LIMIT @limit OFFSET @offset;";
        ScopeSql.Bind(command, scope);
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        command.Parameters.AddWithValue("offset", Math.Max(0, offset));
        return (await ReadAllAsync(command, cancellationToken)).Select(r => r.Record).ToList();
    }

    /// <summary>The tenants that hold memories, for copying a workspace.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tenants, in order.</returns>
    public async Task<IReadOnlyList<string>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, "SELECT DISTINCT tenant FROM memories ORDER BY tenant;");
        var tenants = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(reader.GetString(0));
        }

        return tenants;
    }

    /// <inheritdoc />
    public async Task<MemoryCandidates> SearchAsync(MemorySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        // The two searches share nothing: the vector scan (CPU) runs while the server ranks the keyword matches.
        var vector = search.Vector.IsEmpty || search.EmbeddingModel is null
            ? Task.FromResult(new List<ScoredMemory>())
            : Task.Run(() => VectorSearchAsync(search, cancellationToken), cancellationToken);
        var keyword = await KeywordSearchAsync(search, cancellationToken);
        return new MemoryCandidates(keyword, await vector);
    }

    /// <summary>Loads (or brings up to date) the in-process vector index for an embedding model now, instead of at the
    /// first search.</summary>
    /// <param name="embeddingModel">The model whose embeddings to load.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the index is current.</returns>
    public Task WarmUpAsync(string embeddingModel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddingModel);
        return SyncIndexAsync(embeddingModel, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _index?.Dispose();
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => Changed();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                Changed(); // anything may have changed while nobody listened
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ObjectDisposedException)
            {
                // The server went away: searches still check the change log; listen again shortly.
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void Changed()
    {
        Interlocked.Increment(ref _notifications);
        if (_indexModel is { } model && !_stop.IsCancellationRequested)
        {
            _ = RefreshAsync(model);
        }
    }

    private async Task RefreshAsync(string model)
    {
        try
        {
            await SyncIndexAsync(model, _stop.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            // The next search syncs again.
        }
    }

    private async Task<List<ScoredMemory>> KeywordSearchAsync(MemorySearch search, CancellationToken cancellationToken)
    {
        var terms = TextTerms.Keywords(search.Text).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 || search.Limit <= 0)
        {
            return [];
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // Full-text search finds the candidates (each term quoted, joined by "or": any shared term makes one); BM25 ranks
        // them in process with the reader's own statistics, like the SQLite store: document count and average length
        // of the memories the scope sees, document frequencies among its matches. When the query's words are in a large
        // share of the memories, the newest matches up to a budget are ranked (like SQLite's postings budget).
        var matches = new List<(long Seq, string[] Terms)>();
        await using (var command = new NpgsqlCommand { Connection = connection })
        {
            var where = new StringBuilder(ScopeSql.Visible("m"));
            AddFilter(command, where, search.Filter);
            command.CommandText = $"""
                SELECT m.seq, m.terms FROM memories m, websearch_to_tsquery('simple', @q) q
                WHERE m.search @@ q AND {where} ORDER BY m.seq DESC LIMIT @budget;
                """;
            command.Parameters.AddWithValue("budget", MaxRankedMatches);
            command.Parameters.AddWithValue("q", string.Join(" or ", terms.Select(t => "\"" + t.Replace("\"", "", StringComparison.Ordinal) + "\"")));
            ScopeSql.Bind(command, search.Scope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                matches.Add((reader.GetInt64(0), reader.GetString(1).Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        if (matches.Count == 0)
        {
            return [];
        }

        long documents;
        double average;
        await using (var command = new NpgsqlCommand { Connection = connection })
        {
            command.CommandText = $"""
                SELECT count(*), coalesce(avg(cardinality(string_to_array(m.terms, ' '))), 0)::float8
                FROM memories m WHERE {ScopeSql.Visible("m")};
                """;
            ScopeSql.Bind(command, search.Scope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (documents, average) = (reader.GetInt64(0), reader.GetDouble(1));
        }

        var ranked = Bm25.Rank(terms, matches, documents, average, search.Limit);
        var records = await LoadAsync(connection, ranked.Select(r => r.Document).ToArray(), search.Scope, search.Filter, cancellationToken);
        return ranked.Where(r => records.ContainsKey(r.Document)).Select(r => new ScoredMemory(records[r.Document], r.Score)).ToList();
    }

    private async Task<List<ScoredMemory>> VectorSearchAsync(MemorySearch search, CancellationToken cancellationToken)
    {
        await SyncIndexAsync(search.EmbeddingModel!, cancellationToken);
        var index = _index;
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
        Func<int, long, bool>? accept = visible.All(v => v) ? null : Accept;
        var wanted = search.Limit;
        var fetch = search.Filter.IsEmpty ? wanted : wanted * 4;
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            var matches = index.Search(search.Vector.Span, fetch, accept);
            var records = await LoadAsync(connection, matches.Select(m => m.Key).ToArray(), search.Scope, search.Filter, cancellationToken);
            var hits = matches.Where(m => records.ContainsKey(m.Key)).Select(m => new ScoredMemory(records[m.Key], m.Similarity)).Take(wanted).ToList();
            // With a metadata filter, look further until enough pass it or the index is exhausted.
            if (hits.Count >= wanted || matches.Count < fetch || fetch >= index.Count)
            {
                return hits;
            }

            fetch = (int)Math.Min((long)fetch * 4, index.Count);
        }
    }

    private static async Task<Dictionary<long, MemoryRecord>> LoadAsync(NpgsqlConnection connection, long[] seqs, MemoryScope scope, MemoryFilter filter, CancellationToken cancellationToken)
    {
        if (seqs.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand { Connection = connection };
        var where = new StringBuilder(ScopeSql.Visible("m"));
        AddFilter(command, where, filter);
        // The scope is checked again here: the index's labels only narrow the search, the SQL decides.
        command.CommandText = $"SELECT {Columns} FROM memories m WHERE m.seq = ANY(@seqs) AND {where};";
        command.Parameters.AddWithValue("seqs", seqs);
        ScopeSql.Bind(command, scope);
        return (await ReadAllAsync(command, cancellationToken)).ToDictionary(r => r.Seq, r => r.Record);
    }

    private async Task SyncIndexAsync(string model, CancellationToken cancellationToken)
    {
        await _indexGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            var latest = await PostgresCommands.ScalarAsync(connection, null, "SELECT coalesce(max(seq), 0) FROM memory_changes;", cancellationToken);
            if (_indexModel == model && latest == _appliedChange)
            {
                return;
            }

            var oldest = await PostgresCommands.ScalarAsync(connection, null, "SELECT coalesce(min(seq), 0) FROM memory_changes;", cancellationToken);
            if (_indexModel != model || oldest > _appliedChange + 1 || latest < _appliedChange)
            {
                await ReloadAsync(connection, model, cancellationToken);
                return;
            }

            // Identity values are handed out before commit, so a change committed late may carry a number below one
            // already applied; re-reading a window behind the mark catches it (applying a change twice is harmless).
            await using var changed = PostgresCommands.Command(connection, null, """
                SELECT c.memory_seq, m.tenant, m.team, m.agent, m.embedding, m.embedding_model
                FROM (SELECT DISTINCT memory_seq FROM memory_changes WHERE seq > @from AND seq <= @to) c
                LEFT JOIN memories m ON m.seq = c.memory_seq;
                """, ("from", Math.Max(0, _appliedChange - 1000)), ("to", latest));
            await using var reader = await changed.ExecuteReaderAsync(cancellationToken);
            _index = await ApplyAsync(reader, model, _index, cancellationToken);
            _appliedChange = latest;
        }
        finally
        {
            _indexGate.Release();
        }
    }

    private async Task ReloadAsync(NpgsqlConnection connection, string model, CancellationToken cancellationToken)
    {
        // One repeatable-read transaction: the rows and the change log position come from the same snapshot.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var latest = await PostgresCommands.ScalarAsync(connection, transaction, "SELECT coalesce(max(seq), 0) FROM memory_changes;", cancellationToken);
        await using var all = PostgresCommands.Command(connection, transaction,
            "SELECT seq, tenant, team, agent, embedding, embedding_model FROM memories WHERE embedding_model = @model AND embedding IS NOT NULL;", ("model", model));
        await using var reader = await all.ExecuteReaderAsync(cancellationToken);
        _index = await ApplyAsync(reader, model, null, cancellationToken);
        _indexModel = model;
        _appliedChange = latest;
    }

    /// <summary>Applies rows (seq, scope, embedding, model) to an index: rows of the model are added or replaced, others
    /// (deleted rows come back as nulls) removed.</summary>
    private async Task<VectorIndex?> ApplyAsync(NpgsqlDataReader reader, string model, VectorIndex? index, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(0);
            if (reader.IsDBNull(4) || reader.IsDBNull(5) || reader.GetString(5) != model)
            {
                index?.Remove(seq);
                continue;
            }

            var vector = reader.GetFieldValue<float[]>(4);
            if (index is null || index.Dimensions != vector.Length)
            {
                index = new VectorIndex(vector.Length, _indexOptions);
            }

            index.Upsert(seq, vector, Label(ScopeSql.Read(reader, 1)));
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

    private static Task PruneChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        PostgresCommands.ExecuteAsync(connection, transaction,
            "DELETE FROM memory_changes WHERE seq <= (SELECT max(seq) FROM memory_changes) - @keep;", cancellationToken, ("keep", ChangeLogRetention));

    private static async Task<MemoryRecord?> FindByFingerprintAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MemoryScope scope, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, transaction,
            $"SELECT {Columns} FROM memories m WHERE {ScopeSql.Exactly("m")} AND m.fingerprint = @fp;", ("fp", FingerprintKey(fingerprint)));
        ScopeSql.Bind(command, scope);
        return (await ReadAllAsync(command, cancellationToken)).Select(r => r.Record).FirstOrDefault();
    }

    // The first 16 bytes of the SHA-256 fingerprint, as in the SQLite store: a small, fast unique index.
    private static byte[] FingerprintKey(string fingerprint) => Convert.FromHexString(fingerprint.AsSpan(0, 32));

    private static void AddFilter(NpgsqlCommand command, StringBuilder where, MemoryFilter filter)
    {
        var i = 0;
        foreach (var (key, value) in filter.Metadata)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND m.metadata ->> @mk{i} = @mv{i}");
            command.Parameters.AddWithValue($"mk{i}", key);
            command.Parameters.AddWithValue($"mv{i}", value);
            i++;
        }

        if (filter.CreatedAfter is { } after)
        {
            where.Append(" AND m.created_at >= @after");
            command.Parameters.AddWithValue("after", PostgresCommands.Time(after));
        }

        if (filter.CreatedBefore is { } before)
        {
            where.Append(" AND m.created_at < @before");
            command.Parameters.AddWithValue("before", PostgresCommands.Time(before));
        }

        if (filter.MinImportance is { } min)
        {
            where.Append(" AND m.importance >= @minImportance");
            command.Parameters.AddWithValue("minImportance", min);
        }
    }

    private static NpgsqlParameter[] Parameters(NpgsqlParameterCollection parameters)
    {
        NpgsqlParameter[] p =
        [
            new("id", NpgsqlDbType.Text), new("t", NpgsqlDbType.Text), new("tm", NpgsqlDbType.Text), new("ag", NpgsqlDbType.Text),
            new("text", NpgsqlDbType.Text), new("fp", NpgsqlDbType.Bytea), new("metadata", NpgsqlDbType.Jsonb), new("importance", NpgsqlDbType.Double),
            new("created", NpgsqlDbType.TimestampTz), new("updated", NpgsqlDbType.TimestampTz), new("source", NpgsqlDbType.Text),
            new("embedding", NpgsqlDbType.Array | NpgsqlDbType.Real), new("model", NpgsqlDbType.Text), new("terms", NpgsqlDbType.Text),
        ];
        parameters.AddRange(p);
        return p;
    }

    private static void Bind(NpgsqlParameter[] p, MemoryRecord record)
    {
        p[0].Value = record.Id;
        p[1].Value = record.Scope.Tenant;
        p[2].Value = record.Scope.Team;
        p[3].Value = record.Scope.Agent;
        p[4].Value = record.Text;
        p[5].Value = FingerprintKey(record.Fingerprint);
        p[6].Value = JsonSerializer.Serialize(record.Metadata, Json);
        p[7].Value = record.Importance;
        p[8].Value = PostgresCommands.Time(record.CreatedAt);
        p[9].Value = PostgresCommands.Time(record.UpdatedAt);
        p[10].Value = record.Source is null ? DBNull.Value : JsonSerializer.Serialize(record.Source, Json);
        p[11].Value = record.Embedding.IsEmpty ? DBNull.Value : record.Embedding.ToArray();
        p[12].Value = record.Embedding.IsEmpty ? DBNull.Value : (object?)record.EmbeddingModel ?? DBNull.Value;
        p[13].Value = string.Join(' ', TextTerms.Keywords(record.Text));
    }

    private static async Task<List<(long Seq, MemoryRecord Record, double Score)>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<(long, MemoryRecord, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add((reader.GetInt64(0), Read(reader), 0));
        }

        return records;
    }

    private static MemoryRecord Read(NpgsqlDataReader reader)
    {
        try
        {
            return new MemoryRecord
            {
                Id = reader.GetString(1),
                Scope = ScopeSql.Read(reader, 2),
                Text = reader.GetString(5),
                Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6), Json) ?? [],
                Importance = reader.GetDouble(7),
                CreatedAt = PostgresCommands.ReadTime(reader, 8),
                UpdatedAt = PostgresCommands.ReadTime(reader, 9),
                Source = reader.IsDBNull(10) ? null : JsonSerializer.Deserialize<MemorySource>(reader.GetString(10), Json),
                EmbeddingModel = PostgresCommands.NullableString(reader, 11),
            };
        }
        catch (JsonException ex)
        {
            throw new WorkspaceException($"Memory '{reader.GetString(1)}' is damaged in the workspace database ({ex.Message}).", ex);
        }
    }
}
