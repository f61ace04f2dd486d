using Cadre.Memory.Shared;
using Npgsql;

namespace Cadre.Postgres.Memory;

/// <summary>Blackboards in PostgreSQL. A write is one transaction holding the key's advisory lock (read, version check,
/// new value, audit entry), so writers on any number of connections or hosts lose nothing; a trigger makes the audit
/// trail append-only.</summary>
public sealed class PostgresBlackboardStore : IBlackboardStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE blackboard (
            board text NOT NULL,
            namespace text NOT NULL,
            key text NOT NULL,
            value text NOT NULL,
            version bigint NOT NULL,
            updated_at timestamptz NOT NULL,
            updated_by text NOT NULL,
            PRIMARY KEY (board, namespace, key));
        CREATE TABLE blackboard_audit (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            board text NOT NULL,
            namespace text NOT NULL,
            key text NOT NULL,
            version bigint NOT NULL,
            actor text NOT NULL,
            at timestamptz NOT NULL,
            old_value text,
            new_value text NOT NULL);
        CREATE INDEX blackboard_audit_by_key ON blackboard_audit(board, namespace, key, seq);
        CREATE FUNCTION cadre_blackboard_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS
        'BEGIN RAISE EXCEPTION ''the blackboard audit trail is append-only''; END';
        CREATE TRIGGER blackboard_audit_append_only BEFORE UPDATE OR DELETE ON blackboard_audit
        FOR EACH ROW EXECUTE FUNCTION cadre_blackboard_audit_is_append_only();
        CREATE TRIGGER blackboard_audit_no_truncate BEFORE TRUNCATE ON blackboard_audit
        FOR EACH STATEMENT EXECUTE FUNCTION cadre_blackboard_audit_is_append_only();
        """,
    ];

    private const string EntryColumns = "board, namespace, key, value, version, updated_at, updated_by";
    private readonly PostgresDatabase _database;

    private PostgresBlackboardStore(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables.</summary>
    public static async Task<PostgresBlackboardStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("blackboard", Migrations, cancellationToken);
        return new PostgresBlackboardStore(database);
    }

    /// <inheritdoc />
    public async Task<BlackboardEntry?> GetAsync(string board, string @namespace, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, null, board, @namespace, key, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlackboardEntry>> ListAsync(string board, string? @namespace = null, string? prefix = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, $"""
            SELECT {EntryColumns} FROM blackboard
            WHERE board = @b AND (@ns::text IS NULL OR namespace = @ns) AND (@p::text IS NULL OR starts_with(key, @p))
            ORDER BY namespace COLLATE "C", key COLLATE "C";
            """, ("b", board), ("ns", @namespace), ("p", prefix));
        var entries = new List<BlackboardEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    /// <inheritdoc />
    public async Task<BlackboardEntry> WriteAsync(BlackboardWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        BlackboardEntry? current;
        // The key's lock and its current value in one round trip.
        await using (var read = PostgresCommands.Command(connection, transaction, $"""
            SELECT pg_advisory_xact_lock(hashtextextended(@lock_key, 0));
            SELECT {EntryColumns} FROM blackboard WHERE board = @b AND namespace = @ns AND key = @k;
            """, ("lock_key", $"blackboard:{write.Board}\u001f{write.Namespace}\u001f{write.Key}"), ("b", write.Board), ("ns", write.Namespace), ("k", write.Key)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            current = await reader.ReadAsync(cancellationToken) ? ReadEntry(reader) : null;
        }

        var version = current?.Version ?? 0;
        if (write.ExpectedVersion is { } expected && expected != version)
        {
            throw new BlackboardConflictException(write.Namespace, write.Key, expected, version);
        }

        var json = write.Compute(current);
        var entry = new BlackboardEntry(write.Board, write.Namespace, write.Key, json, version + 1, write.At, write.Actor);
        (string, object?)[] parameters =
        [
            ("b", write.Board), ("ns", write.Namespace), ("k", write.Key), ("v", json), ("version", entry.Version),
            ("at", PostgresCommands.Time(write.At)), ("by", write.Actor), ("old", current?.Json),
        ];
        await PostgresCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO blackboard(board, namespace, key, value, version, updated_at, updated_by) VALUES (@b, @ns, @k, @v, @version, @at, @by)
            ON CONFLICT (board, namespace, key) DO UPDATE SET value = excluded.value, version = excluded.version,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by;
            INSERT INTO blackboard_audit(board, namespace, key, version, actor, at, old_value, new_value)
            VALUES (@b, @ns, @k, @version, @by, @at, @old, @v);
            """, cancellationToken, parameters);
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListBoardsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null,
            "SELECT board FROM (SELECT board FROM blackboard UNION SELECT board FROM blackboard_audit) AS b ORDER BY board COLLATE \"C\";");
        var boards = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            boards.Add(reader.GetString(0));
        }

        return boards;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlackboardAuditEntry>> AuditAsync(string board, string? @namespace = null, string? key = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, """
            SELECT seq, board, namespace, key, version, actor, at, old_value, new_value FROM blackboard_audit
            WHERE board = @b AND (@ns::text IS NULL OR namespace = @ns) AND (@k::text IS NULL OR key = @k)
            ORDER BY seq DESC LIMIT @limit;
            """, ("b", board), ("ns", @namespace), ("k", key), ("limit", Math.Max(0, limit)));
        var entries = new List<BlackboardAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new BlackboardAuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(5), PostgresCommands.ReadTime(reader, 6), PostgresCommands.NullableString(reader, 7), reader.GetString(8)));
        }

        return entries;
    }

    private static async Task<BlackboardEntry?> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string board, string @namespace, string key, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, transaction,
            $"SELECT {EntryColumns} FROM blackboard WHERE board = @b AND namespace = @ns AND key = @k;", ("b", board), ("ns", @namespace), ("k", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEntry(reader) : null;
    }

    private static BlackboardEntry ReadEntry(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), PostgresCommands.ReadTime(reader, 5), reader.GetString(6));
}
