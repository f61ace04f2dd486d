using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cadre.Memory;
using Cadre.Workspaces;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite.Memory;

/// <summary>
/// Long-term memories in the workspace's SQLite file: rows with their embeddings as blobs, an FTS5 index (BM25
/// ranking) over each memory's search terms (<see cref="TextTerms.Keywords"/>, the same terms the in-memory store
/// uses) kept in step by triggers, and an in-memory <see cref="VectorIndex"/> loaded from the blobs on first vector
/// search. A change log written by the same triggers keeps the vector index current when other connections or
/// processes write to the file. Keyword queries keep their rarest terms up to a budget of postings, so very common
/// words do not make recall slow on large stores.
/// </summary>
public sealed class SqliteMemoryStore : IMemoryStore, IDisposable
{
    // The change log keeps this many entries; a reader that falls further behind reloads its vector index.
    private const int ChangeLogRetention = 100_000;

    // A keyword query ranks at most about this many postings (see TermFrequencies)...
    private const int MaxPostings = 2_000;

    // ... and, when every term is more common than that, reads the doclists of all of them only when the rarest holds
    // at most this many memories; beyond, vector search alone answers.
    private const int MaxAllPostings = 50_000;
    private const string Columns = "m.seq, m.id, m.tenant, m.team, m.agent, m.text, m.metadata, m.importance, m.created_at, m.updated_at, m.source, m.embedding_model";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE memories (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            tenant TEXT NOT NULL,
            team TEXT NOT NULL,
            agent TEXT NOT NULL,
            text TEXT NOT NULL,
            terms TEXT NOT NULL,
            fingerprint BLOB NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            importance REAL NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            source TEXT,
            embedding BLOB,
            embedding_model TEXT);
        CREATE UNIQUE INDEX memories_fingerprint ON memories(tenant, team, agent, fingerprint);
        CREATE INDEX memories_by_scope ON memories(tenant, team, agent, created_at);
        CREATE TABLE memory_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, memory_seq INTEGER NOT NULL);
        CREATE VIRTUAL TABLE memories_fts USING fts5(terms, content='memories', content_rowid='seq', tokenize='unicode61 remove_diacritics 0');
        CREATE VIRTUAL TABLE memories_vocab USING fts5vocab(memories_fts, 'row');
        CREATE TRIGGER memories_inserted AFTER INSERT ON memories BEGIN
            INSERT INTO memories_fts(rowid, terms) VALUES (new.seq, new.terms);
            INSERT INTO memory_changes(memory_seq) VALUES (new.seq);
        END;
        CREATE TRIGGER memories_deleted AFTER DELETE ON memories BEGIN
            INSERT INTO memories_fts(memories_fts, rowid, terms) VALUES ('delete', old.seq, old.terms);
            INSERT INTO memory_changes(memory_seq) VALUES (old.seq);
        END;
        CREATE TRIGGER memories_updated AFTER UPDATE ON memories BEGIN
            INSERT INTO memories_fts(memories_fts, rowid, terms) VALUES ('delete', old.seq, old.terms);
            INSERT INTO memories_fts(rowid, terms) VALUES (new.seq, new.terms);
            INSERT INTO memory_changes(memory_seq) VALUES (new.seq);
        END;
        """,
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteDatabase _database;
    private readonly VectorIndexOptions _indexOptions;
    private readonly TermFrequencies _frequencies = new();
    private readonly SemaphoreSlim _indexGate = new(1, 1);
    private readonly Dictionary<MemoryScope, int> _labels = [];
    private readonly List<MemoryScope> _scopes = [];
    private VectorIndex? _index;
    private string? _indexModel;
    private long _appliedChange = -1;

    private SqliteMemoryStore(SqliteDatabase database, VectorIndexOptions indexOptions)
    {
        _database = database;
        _indexOptions = indexOptions;
    }

    /// <summary>The in-memory vector index (null before the first vector search), for diagnostics and benchmarks.</summary>
    public VectorIndex? Index => _index;

    /// <summary>How many vectors the in-memory index holds (0 before the first vector search).</summary>
    public int IndexedVectors => _index?.Count ?? 0;

    /// <summary>The memory the vector index takes, in bytes.</summary>
    public long IndexBytes => _index?.MemoryBytes ?? 0;

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables.</summary>
    /// <param name="database">The database.</param>
    /// <param name="indexOptions">How the vector index searches.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The store.</returns>
    /// <exception cref="WorkspaceException">The SQLite library lacks FTS5, or the file is from a newer Cadre.</exception>
    public static async Task<SqliteMemoryStore> OpenAsync(SqliteDatabase database, VectorIndexOptions? indexOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            if (await SqliteCommands.ScalarAsync(connection, null, "SELECT sqlite_compileoption_used('ENABLE_FTS5');", cancellationToken) != 1)
            {
                throw new WorkspaceException("The SQLite library in use was built without FTS5, which long-term memory needs for keyword search.");
            }
        }

        await database.MigrateAsync("memory", Migrations, cancellationToken);
        return new SqliteMemoryStore(database, indexOptions ?? new VectorIndexOptions());
    }

    /// <inheritdoc />
    public async Task<MemoryWriteResult> AddAsync(MemoryRecord record, CancellationToken cancellationToken = default) =>
        (await AddRangeAsync([record ?? throw new ArgumentNullException(nameof(record))], cancellationToken))[0];

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryWriteResult>> AddRangeAsync(IReadOnlyList<MemoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new List<MemoryWriteResult>(records.Count);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // A larger page cache keeps the indexes' hot pages in memory during batch writes (about 20% faster at 100k+).
        await SqliteCommands.ExecuteAsync(connection, null, "PRAGMA cache_size = -65536;", cancellationToken);
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        await using var insert = SqliteCommands.Command(connection, transaction, """
            INSERT INTO memories(id, tenant, team, agent, text, terms, fingerprint, metadata, importance, created_at, updated_at, source, embedding, embedding_model)
            VALUES ($id, $t, $tm, $ag, $text, $terms, $fp, $metadata, $importance, $created, $updated, $source, $embedding, $model)
            ON CONFLICT(tenant, team, agent, fingerprint) DO NOTHING;
            """);
        var p = Parameters(insert);
        var added = new List<(MemoryScope Scope, string Terms)>();
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record);
            Bind(p, record);
            try
            {
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    results.Add(new MemoryWriteResult(MemoryWriteStatus.Added, record));
                    added.Add((record.Scope, (string)p[13].Value!));
                    continue;
                }
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new ArgumentException($"A memory with id '{record.Id}' is already stored.", nameof(records), ex);
            }

            var existing = await FindByFingerprintAsync(connection, transaction, record.Scope, record.Fingerprint, cancellationToken);
            results.Add(new MemoryWriteResult(MemoryWriteStatus.Duplicate, existing));
        }

        await PruneChangesAsync(connection, transaction, cancellationToken);
        var maxSeq = await SqliteCommands.ScalarAsync(connection, transaction, "SELECT coalesce(max(seq), 0) FROM memories;", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var (scope, terms) in added)
        {
            _frequencies.Count(scope, terms, +1);
        }

        _frequencies.Saw(maxSeq);
        return results;
    }

    /// <inheritdoc />
    public async Task<MemoryRecord?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null, $"SELECT {Columns}, m.embedding FROM memories m WHERE m.id = $id AND {Sql.Visible("m")};", ("$id", id));
        Sql.BindScope(command, scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var record = Read(reader);
        return reader.IsDBNull(12) ? record : record with { Embedding = MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(12)).ToArray() };
    }

    /// <inheritdoc />
    public async Task<MemoryWriteResult> UpdateAsync(MemoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        string oldTerms;
        await using (var find = SqliteCommands.Command(connection, transaction, "SELECT created_at, terms FROM memories WHERE id = $id AND tenant = $t AND team = $tm AND agent = $ag;", ("$id", record.Id)))
        {
            Sql.BindScope(find, record.Scope);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new MemoryWriteResult(MemoryWriteStatus.NotFound, null);
            }

            record = record with { CreatedAt = Sql.Time(reader.GetInt64(0)) };
            oldTerms = reader.GetString(1);
        }

        var other = await FindByFingerprintAsync(connection, transaction, record.Scope, record.Fingerprint, cancellationToken);
        if (other is not null && other.Id != record.Id)
        {
            return new MemoryWriteResult(MemoryWriteStatus.Duplicate, other);
        }

        await using var update = SqliteCommands.Command(connection, transaction, """
            UPDATE memories SET text = $text, terms = $terms, fingerprint = $fp, metadata = $metadata, importance = $importance, updated_at = $updated,
                source = $source, embedding = $embedding, embedding_model = $model
            WHERE id = $id;
            """);
        var p = Parameters(update);
        Bind(p, record);
        await update.ExecuteNonQueryAsync(cancellationToken);
        await PruneChangesAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _frequencies.Count(record.Scope, oldTerms, -1);
        _frequencies.Count(record.Scope, (string)p[13].Value!, +1);
        return new MemoryWriteResult(MemoryWriteStatus.Updated, record);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null, $"DELETE FROM memories AS m WHERE m.id = $id AND {Sql.Visible("m")} RETURNING terms, tenant, team, agent;", ("$id", id));
        Sql.BindScope(command, scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return false;
        }

        _frequencies.Count(new MemoryScope(reader.GetString(1), reader.GetString(2), reader.GetString(3)), reader.GetString(0), -1);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryRecord>> ListAsync(MemoryScope scope, MemoryFilter? filter = null, int limit = 100, int offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder(Sql.Visible("m"));
        AddFilter(command, where, filter ?? MemoryFilter.None);
        command.CommandText = $"SELECT {Columns} FROM memories m WHERE {where} ORDER BY m.created_at DESC, m.seq DESC LIMIT $limit OFFSET $offset;";
        Sql.BindScope(command, scope);
        command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        command.Parameters.AddWithValue("$offset", Math.Max(0, offset));
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>The tenants that hold memories, for copying a workspace.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tenants, in order.</returns>
    public async Task<IReadOnlyList<string>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null, "SELECT DISTINCT tenant FROM memories ORDER BY tenant;");
        var tenants = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(reader.GetString(0));
        }

        return tenants;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, int>> CountEmbeddingsAsync(MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null,
            $"SELECT m.embedding_model, count(*) FROM memories m WHERE {Sql.Visible("m")} AND m.embedding_model IS NOT NULL AND m.embedding IS NOT NULL GROUP BY m.embedding_model;");
        Sql.BindScope(command, scope);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    /// <inheritdoc />
    public async Task<MemoryCandidates> SearchAsync(MemorySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        // The two searches share nothing: the vector scan (CPU) runs while SQLite ranks the keyword matches.
        var vector = search.Vector.IsEmpty || search.EmbeddingModel is null
            ? Task.FromResult(new List<ScoredMemory>())
            : Task.Run(() => VectorSearchAsync(search, cancellationToken), cancellationToken);
        var keyword = await KeywordSearchAsync(search, cancellationToken);
        return new MemoryCandidates(keyword, await vector);
    }

    /// <summary>Loads (or brings up to date) the in-memory vector index for an embedding model and the term counts now,
    /// instead of at the first search.</summary>
    /// <param name="embeddingModel">The model whose embeddings to load.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the index is current.</returns>
    public async Task WarmUpAsync(string embeddingModel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddingModel);
        await SyncIndexAsync(embeddingModel, cancellationToken);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await _frequencies.EnsureAsync(connection, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _index?.Dispose();
        _indexGate.Dispose();
    }

    private async Task<List<ScoredMemory>> KeywordSearchAsync(MemorySearch search, CancellationToken cancellationToken)
    {
        var terms = TextTerms.Keywords(search.Text).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 || search.Limit <= 0)
        {
            return [];
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await _frequencies.EnsureAsync(connection, cancellationToken);
        var chosen = _frequencies.Choose(terms, MaxPostings);
        if (chosen.Count == 0 && _frequencies.Rarest(terms) > MaxAllPostings)
        {
            return []; // every term is in a large share of the memories: keyword search would read much and rank little
        }

        // Rank the rare terms' documents by BM25 with the reader's own statistics: every visible match of the rare terms
        // is read (at most about MaxPostings) with its terms, and document frequencies, count and average length are
        // the reader's scopes', not the workspace's. When every term is common, rank only the newest documents that
        // hold them all (FTS5 reads those in rowid order without scoring the rest). Either way the reader's scope and
        // filter are applied inside the query, so other scopes' memories never take a scope's candidates.
        if (chosen.Count > 0)
        {
            return await RankRareAsync(connection, search, chosen, cancellationToken);
        }

        await using var command = connection.CreateCommand();
        var where = new StringBuilder("memories_fts MATCH $q AND ").Append(Sql.Visible("m"));
        AddFilter(command, where, search.Filter);
        command.CommandText = $"SELECT {Columns}, bm25(memories_fts) FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid WHERE {where} ORDER BY memories_fts.rowid DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$q", string.Join(" AND ", terms.Select(Quote)));
        command.Parameters.AddWithValue("$limit", search.Limit);
        Sql.BindScope(command, search.Scope);
        var hits = new List<ScoredMemory>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new ScoredMemory(Read(reader), -reader.GetDouble(12)));
        }

        return hits.OrderByDescending(h => h.Score).ToList();
    }

    private async Task<List<ScoredMemory>> RankRareAsync(SqliteConnection connection, MemorySearch search, List<string> chosen, CancellationToken cancellationToken)
    {
        var matches = new List<(long Seq, string[] Terms)>();
        await using (var command = connection.CreateCommand())
        {
            var where = new StringBuilder("memories_fts MATCH $q AND ").Append(Sql.Visible("m"));
            AddFilter(command, where, search.Filter);
            command.CommandText = $"SELECT m.seq, m.terms FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid WHERE {where};";
            command.Parameters.AddWithValue("$q", string.Join(" OR ", chosen.Select(Quote)));
            Sql.BindScope(command, search.Scope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                matches.Add((reader.GetInt64(0), reader.GetString(1).Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        var (documents, average) = _frequencies.Visible(search.Scope);
        var ranked = Bm25.Rank(chosen, matches, documents, average, search.Limit);
        var records = await LoadAsync(connection, ranked.Select(r => r.Document).ToList(), search.Scope, search.Filter, cancellationToken);
        return ranked.Where(r => records.ContainsKey(r.Document)).Select(r => new ScoredMemory(records[r.Document], r.Score)).ToList();
    }

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

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
        // When the reader sees every scope loaded so far, skip the check per vector; rows are checked again when loaded.
        Func<int, long, bool>? accept = visible.All(v => v) ? null : Accept;
        var wanted = search.Limit;
        var fetch = search.Filter.IsEmpty ? wanted : wanted * 4;
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            var matches = index.Search(search.Vector.Span, fetch, accept);
            var records = await LoadAsync(connection, matches.Select(m => m.Key).ToList(), search.Scope, search.Filter, cancellationToken);
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

    private static async Task<Dictionary<long, MemoryRecord>> LoadAsync(SqliteConnection connection, IReadOnlyList<long> seqs, MemoryScope scope, MemoryFilter filter, CancellationToken cancellationToken)
    {
        if (seqs.Count == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        var where = new StringBuilder(Sql.Visible("m"));
        AddFilter(command, where, filter);
        // CROSS JOIN keeps the id list as the outer loop: rows are fetched by key, never by scanning the scope's index.
        command.CommandText = $"SELECT {Columns} FROM json_each($seqs) j CROSS JOIN memories m ON m.seq = j.value WHERE {where};";
        command.Parameters.AddWithValue("$seqs", JsonSerializer.Serialize(seqs));
        Sql.BindScope(command, scope);
        var records = new Dictionary<long, MemoryRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records[reader.GetInt64(0)] = Read(reader);
        }

        return records;
    }

    private async Task SyncIndexAsync(string model, CancellationToken cancellationToken)
    {
        await _indexGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            var latest = await SqliteCommands.ScalarAsync(connection, null, "SELECT coalesce(max(seq), 0) FROM memory_changes;", cancellationToken);
            if (_indexModel == model && latest == _appliedChange)
            {
                return;
            }

            var oldest = await SqliteCommands.ScalarAsync(connection, null, "SELECT coalesce(min(seq), 0) FROM memory_changes;", cancellationToken);
            if (_indexModel != model || oldest > _appliedChange + 1 || latest < _appliedChange)
            {
                await ReloadAsync(connection, model, cancellationToken);
                return;
            }

            await using var changed = SqliteCommands.Command(connection, null, """
                SELECT c.memory_seq, m.tenant, m.team, m.agent, m.embedding, m.embedding_model
                FROM (SELECT DISTINCT memory_seq FROM memory_changes WHERE seq > $from AND seq <= $to) c
                LEFT JOIN memories m ON m.seq = c.memory_seq;
                """, ("$from", _appliedChange), ("$to", latest));
            await using var reader = await changed.ExecuteReaderAsync(cancellationToken);
            _index = await ApplyAsync(reader, model, _index, cancellationToken);
            _appliedChange = latest;
        }
        finally
        {
            _indexGate.Release();
        }
    }

    private async Task ReloadAsync(SqliteConnection connection, string model, CancellationToken cancellationToken)
    {
        // A new index is built aside and swapped in; the old one is left to searches still using it (not disposed).
        // One read transaction: the rows and the change log position come from the same snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var latest = await SqliteCommands.ScalarAsync(connection, transaction, "SELECT coalesce(max(seq), 0) FROM memory_changes;", cancellationToken);
        await using var all = SqliteCommands.Command(connection, transaction,
            "SELECT seq, tenant, team, agent, embedding, embedding_model FROM memories WHERE embedding_model = $model AND embedding IS NOT NULL;",
            ("$model", model));
        await using var reader = await all.ExecuteReaderAsync(cancellationToken);
        _index = await ApplyAsync(reader, model, null, cancellationToken);
        _indexModel = model;
        _appliedChange = latest;
    }

    /// <summary>Applies rows (seq, scope, embedding, model) to an index: rows of the model are added or replaced, others
    /// (deleted rows come back as nulls) removed. Returns the index (a new one when there was none or the dimensions
    /// changed).</summary>
    private async Task<VectorIndex?> ApplyAsync(SqliteDataReader reader, string model, VectorIndex? index, CancellationToken cancellationToken)
    {
        var buffer = Array.Empty<byte>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(0);
            if (reader.IsDBNull(4) || reader.IsDBNull(5) || reader.GetString(5) != model)
            {
                index?.Remove(seq);
                continue;
            }

            var length = (int)reader.GetBytes(4, 0, null, 0, 0);
            if (buffer.Length < length)
            {
                buffer = new byte[length];
            }

            reader.GetBytes(4, 0, buffer, 0, length);
            var vector = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, length));
            if (index is null || index.Dimensions != vector.Length)
            {
                index = new VectorIndex(vector.Length, _indexOptions);
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

    private static async Task PruneChangesAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        await SqliteCommands.ExecuteAsync(connection, transaction,
            "DELETE FROM memory_changes WHERE seq <= (SELECT max(seq) FROM memory_changes) - $keep;", cancellationToken, ("$keep", ChangeLogRetention));

    private static async Task<MemoryRecord?> FindByFingerprintAsync(SqliteConnection connection, SqliteTransaction transaction, MemoryScope scope, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = SqliteCommands.Command(connection, transaction,
            $"SELECT {Columns} FROM memories m WHERE m.tenant = $t AND m.team = $tm AND m.agent = $ag AND m.fingerprint = $fp;", ("$fp", FingerprintKey(fingerprint)));
        Sql.BindScope(command, scope);
        var found = await ReadAllAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    // The first 16 bytes of the SHA-256 fingerprint: a small, fast unique index; collisions are out of reach.
    private static byte[] FingerprintKey(string fingerprint) => Convert.FromHexString(fingerprint.AsSpan(0, 32));

    private static void AddFilter(SqliteCommand command, StringBuilder where, MemoryFilter filter)
    {
        var i = 0;
        foreach (var (key, value) in filter.Metadata)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND EXISTS (SELECT 1 FROM json_each(m.metadata) j WHERE j.key = $mk{i} AND j.value = $mv{i})");
            command.Parameters.AddWithValue($"$mk{i}", key);
            command.Parameters.AddWithValue($"$mv{i}", value);
            i++;
        }

        if (filter.CreatedAfter is { } after)
        {
            where.Append(" AND m.created_at >= $after");
            command.Parameters.AddWithValue("$after", Sql.Time(after));
        }

        if (filter.CreatedBefore is { } before)
        {
            where.Append(" AND m.created_at < $before");
            command.Parameters.AddWithValue("$before", Sql.Time(before));
        }

        if (filter.MinImportance is { } min)
        {
            where.Append(" AND m.importance >= $minImportance");
            command.Parameters.AddWithValue("$minImportance", min);
        }

        if (filter.TrustedOnly)
        {
            // The source is JSON (MemorySource); rows written before trust was recorded are judged by their origin.
            where.Append(" AND (json_extract(m.source, '$.trust') = 1 OR (json_extract(m.source, '$.trust') IS NULL AND json_extract(m.source, '$.kind') IS NULL AND json_extract(m.source, '$.origin') IN ('cli', 'import')))");
        }
    }

    private static SqliteParameter[] Parameters(SqliteCommand command) =>
    [
        command.Parameters.Add("$id", SqliteType.Text),
        command.Parameters.Add("$t", SqliteType.Text),
        command.Parameters.Add("$tm", SqliteType.Text),
        command.Parameters.Add("$ag", SqliteType.Text),
        command.Parameters.Add("$text", SqliteType.Text),
        command.Parameters.Add("$fp", SqliteType.Blob),
        command.Parameters.Add("$metadata", SqliteType.Text),
        command.Parameters.Add("$importance", SqliteType.Real),
        command.Parameters.Add("$created", SqliteType.Integer),
        command.Parameters.Add("$updated", SqliteType.Integer),
        command.Parameters.Add("$source", SqliteType.Text),
        command.Parameters.Add("$embedding", SqliteType.Blob),
        command.Parameters.Add("$model", SqliteType.Text),
        command.Parameters.Add("$terms", SqliteType.Text),
    ];

    private static void Bind(SqliteParameter[] p, MemoryRecord record)
    {
        p[0].Value = record.Id;
        p[1].Value = record.Scope.Tenant;
        p[2].Value = record.Scope.Team;
        p[3].Value = record.Scope.Agent;
        p[4].Value = record.Text;
        p[5].Value = FingerprintKey(record.Fingerprint);
        p[6].Value = JsonSerializer.Serialize(record.Metadata, Json);
        p[7].Value = record.Importance;
        p[8].Value = Sql.Time(record.CreatedAt);
        p[9].Value = Sql.Time(record.UpdatedAt);
        p[10].Value = record.Source is null ? DBNull.Value : JsonSerializer.Serialize(record.Source, Json);
        p[11].Value = record.Embedding.IsEmpty ? DBNull.Value : MemoryMarshal.AsBytes(record.Embedding.Span).ToArray();
        p[12].Value = record.Embedding.IsEmpty ? DBNull.Value : (object?)record.EmbeddingModel ?? DBNull.Value;
        p[13].Value = string.Join(' ', TextTerms.Keywords(record.Text));
    }

    private static async Task<List<MemoryRecord>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var records = new List<MemoryRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    private static MemoryRecord Read(SqliteDataReader reader)
    {
        try
        {
            return new MemoryRecord
            {
                Id = reader.GetString(1),
                Scope = new MemoryScope(reader.GetString(2), reader.GetString(3), reader.GetString(4)),
                Text = reader.GetString(5),
                Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6), Json) ?? [],
                Importance = reader.GetDouble(7),
                CreatedAt = Sql.Time(reader.GetInt64(8)),
                UpdatedAt = Sql.Time(reader.GetInt64(9)),
                Source = reader.IsDBNull(10) ? null : JsonSerializer.Deserialize<MemorySource>(reader.GetString(10), Json),
                EmbeddingModel = SqliteCommands.NullableString(reader, 11),
            };
        }
        catch (JsonException ex)
        {
            throw new WorkspaceException($"Memory '{reader.GetString(1)}' is damaged in the workspace file ({ex.Message}).", ex);
        }
    }
}
