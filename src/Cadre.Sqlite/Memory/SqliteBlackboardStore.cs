using Cadre.Memory.Shared;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite.Memory;

/// <summary>Blackboards in the workspace's SQLite file. A write is one <c>BEGIN IMMEDIATE</c> transaction (read,
/// version check, new value, audit entry), so writers in any number of connections or processes lose nothing. Triggers
/// make the audit trail append-only.</summary>
public sealed class SqliteBlackboardStore : IBlackboardStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE blackboard (
            board TEXT NOT NULL,
            namespace TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            version INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (board, namespace, key));
        CREATE TABLE blackboard_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            board TEXT NOT NULL,
            namespace TEXT NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            actor TEXT NOT NULL,
            at INTEGER NOT NULL,
            old_value TEXT,
            new_value TEXT NOT NULL);
        CREATE INDEX blackboard_audit_by_key ON blackboard_audit(board, namespace, key, seq);
        CREATE TRIGGER blackboard_audit_no_update BEFORE UPDATE ON blackboard_audit
        BEGIN SELECT RAISE(ABORT, 'the blackboard audit trail is append-only'); END;
        CREATE TRIGGER blackboard_audit_no_delete BEFORE DELETE ON blackboard_audit
        BEGIN SELECT RAISE(ABORT, 'the blackboard audit trail is append-only'); END;
        """,
    ];

    private readonly SqliteDatabase _database;

    private SqliteBlackboardStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables.</summary>
    public static async Task<SqliteBlackboardStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("blackboard", Migrations, cancellationToken);
        return new SqliteBlackboardStore(database);
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
        await using var command = SqliteCommands.Command(connection, null, """
            SELECT board, namespace, key, value, version, updated_at, updated_by FROM blackboard
            WHERE board = $b AND ($ns IS NULL OR namespace = $ns) AND ($p IS NULL OR substr(key, 1, length($p)) = $p)
            ORDER BY namespace, key;
            """, ("$b", board), ("$ns", @namespace), ("$p", prefix));
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
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        var current = await GetAsync(connection, transaction, write.Board, write.Namespace, write.Key, cancellationToken);
        var version = current?.Version ?? 0;
        if (write.ExpectedVersion is { } expected && expected != version)
        {
            throw new BlackboardConflictException(write.Namespace, write.Key, expected, version);
        }

        var json = write.Compute(current);
        var entry = new BlackboardEntry(write.Board, write.Namespace, write.Key, json, version + 1, write.At, write.Actor);
        await SqliteCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO blackboard(board, namespace, key, value, version, updated_at, updated_by) VALUES ($b, $ns, $k, $v, $version, $at, $by)
            ON CONFLICT(board, namespace, key) DO UPDATE SET value = excluded.value, version = excluded.version,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by;
            INSERT INTO blackboard_audit(board, namespace, key, version, actor, at, old_value, new_value)
            VALUES ($b, $ns, $k, $version, $by, $at, $old, $v);
            """, cancellationToken,
            ("$b", write.Board), ("$ns", write.Namespace), ("$k", write.Key), ("$v", json), ("$version", entry.Version),
            ("$at", Sql.Time(write.At)), ("$by", write.Actor), ("$old", current?.Json));
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListBoardsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null,
            "SELECT board FROM blackboard UNION SELECT board FROM blackboard_audit ORDER BY board;");
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
        await using var command = SqliteCommands.Command(connection, null, """
            SELECT seq, board, namespace, key, version, actor, at, old_value, new_value FROM blackboard_audit
            WHERE board = $b AND ($ns IS NULL OR namespace = $ns) AND ($k IS NULL OR key = $k)
            ORDER BY seq DESC LIMIT $limit;
            """, ("$b", board), ("$ns", @namespace), ("$k", key), ("$limit", Math.Max(0, limit)));
        var entries = new List<BlackboardAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new BlackboardAuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(5), Sql.Time(reader.GetInt64(6)), SqliteCommands.NullableString(reader, 7), reader.GetString(8)));
        }

        return entries;
    }

    private static async Task<BlackboardEntry?> GetAsync(SqliteConnection connection, SqliteTransaction? transaction, string board, string @namespace, string key, CancellationToken cancellationToken)
    {
        await using var command = SqliteCommands.Command(connection, transaction,
            "SELECT board, namespace, key, value, version, updated_at, updated_by FROM blackboard WHERE board = $b AND namespace = $ns AND key = $k;",
            ("$b", board), ("$ns", @namespace), ("$k", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEntry(reader) : null;
    }

    private static BlackboardEntry ReadEntry(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), Sql.Time(reader.GetInt64(5)), reader.GetString(6));
}
