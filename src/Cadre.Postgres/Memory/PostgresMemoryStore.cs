using System.Text;
using Cadre.Memory;
using Cadre.Storage;
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
/// <remarks>The store is split by concern: writes and reads by id here, the schema in <c>PostgresMemoryStore.Schema.cs</c>,
/// search in <c>PostgresMemoryStore.Search.cs</c>, listening for other hosts' changes in
/// <c>PostgresMemoryStore.Listener.cs</c>; the row and the vector index are shared with the SQLite store
/// (<see cref="MemoryRows"/>, <see cref="MemoryVectors"/>).</remarks>
public sealed partial class PostgresMemoryStore : IMemoryStore, IAsyncDisposable, IDisposable
{
    /// <summary>The channel that memory changes are announced on.</summary>
    public const string Channel = "cadre_memory";

    // The change log keeps this many entries; a reader that falls further behind reloads its vector index.
    private const int ChangeLogRetention = 100_000;

    private readonly PostgresDatabase _database;
    private readonly PostgresMemoryVectors _vectors;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listener;
    private long _notifications;

    private PostgresMemoryStore(PostgresDatabase database, VectorIndexOptions indexOptions, bool serverHasPgVector)
    {
        _database = database;
        _vectors = new PostgresMemoryVectors(database, indexOptions);
        ServerHasPgVector = serverHasPgVector;
        _listener = Task.Run(() => ListenAsync(_stop.Token));
    }

    /// <summary>True when the server offers the pgvector extension. Vector search still runs in process: the pgvector
    /// (HNSW) path is not built yet, see docs/postgres.md.</summary>
    public bool ServerHasPgVector { get; }

    /// <summary>How many change notifications this store has received from the server (its own writes included).</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    /// <summary>How many vectors the in-process index holds (0 before the first vector search).</summary>
    public int IndexedVectors => _vectors.Index?.Count ?? 0;

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables, and starts listening for
    /// other hosts' changes.</summary>
    /// <param name="database">The workspace's PostgreSQL database; the store opens a pooled connection per call.</param>
    /// <param name="indexOptions">How the in-process vector index searches.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>; a write not yet committed is rolled back.</param>
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
        Filter.Append(command, where, filter ?? MemoryFilter.None);
        command.CommandText = $"SELECT {Columns} FROM memories m WHERE {where} ORDER BY m.created_at DESC, m.seq DESC LIMIT @limit OFFSET @offset;";
        ScopeSql.Bind(command, scope);
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        command.Parameters.AddWithValue("offset", Math.Max(0, offset));
        return (await ReadAllAsync(command, cancellationToken)).Select(r => r.Record).ToList();
    }

    /// <summary>The tenants that hold memories, for copying a workspace.</summary>
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
        _vectors.Dispose();
    }

    private static Task PruneChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        PostgresCommands.ExecuteAsync(connection, transaction,
            "DELETE FROM memory_changes WHERE seq <= (SELECT max(seq) FROM memory_changes) - @keep;", cancellationToken, ("keep", ChangeLogRetention));

    private static async Task<MemoryRecord?> FindByFingerprintAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MemoryScope scope, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, transaction,
            $"SELECT {Columns} FROM memories m WHERE {ScopeSql.Exactly("m")} AND m.fingerprint = @fp;", ("fp", MemoryRows.FingerprintKey(fingerprint)));
        ScopeSql.Bind(command, scope);
        return (await ReadAllAsync(command, cancellationToken)).Select(r => r.Record).FirstOrDefault();
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

    private static void Bind(NpgsqlParameter[] p, MemoryRecord record) => MemoryRows.Bind(p, record, PostgresTimes.Instance, record.Embedding.ToArray());

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

    private static MemoryRecord Read(NpgsqlDataReader reader) => MemoryRows.Read(reader, PostgresTimes.Instance, "the workspace database");
}
