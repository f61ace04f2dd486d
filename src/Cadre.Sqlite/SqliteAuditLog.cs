using Cadre.Storage;
using Cadre.Tools;

namespace Cadre.Sqlite;

/// <summary>The audit log in the workspace's SQLite file: one row per governed tool call.</summary>
public sealed class SqliteAuditLog : IAuditLog
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tool_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            run_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            agent TEXT NOT NULL,
            tool TEXT NOT NULL,
            call_id TEXT NOT NULL,
            key TEXT NOT NULL,
            arguments TEXT NOT NULL,
            status TEXT NOT NULL,
            result TEXT NOT NULL,
            detail TEXT,
            duration_ms REAL NOT NULL);
        CREATE INDEX tool_audit_by_run ON tool_audit(run_id, seq);
        """,
        """
        ALTER TABLE tool_audit ADD COLUMN executions INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tool_audit ADD COLUMN outcome TEXT;
        """,
    ];

    private readonly SqliteDatabase _database;

    private SqliteAuditLog(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the audit log on a workspace database, creating its table if needed.</summary>
    public static async Task<SqliteAuditLog> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("tool_audit", Migrations, cancellationToken);
        return new SqliteAuditLog(database);
    }

    /// <inheritdoc />
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await SqliteCommands.ExecuteAsync(connection, null, $"""
            INSERT INTO tool_audit({AuditRows.Columns})
            VALUES ($at, $run, $step, $agent, $tool, $call, $key, $arguments, $status, $result, $detail, $duration, $executions, $outcome);
            """, cancellationToken, AuditRows.Values(entry, SqliteTimes.Instance));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT at, run_id, step, agent, tool, call_id, key, arguments, status, result, detail, duration_ms, executions, outcome FROM (
              SELECT * FROM tool_audit
              WHERE ($run IS NULL OR run_id = $run) AND ($tool IS NULL OR tool = $tool)
                AND ($agent IS NULL OR agent = $agent) AND ($status IS NULL OR status = $status)
              ORDER BY seq DESC LIMIT $limit)
            ORDER BY seq;
            """;
        command.Parameters.AddWithValue("$run", (object?)query.RunId ?? DBNull.Value);
        command.Parameters.AddWithValue("$tool", (object?)query.Tool ?? DBNull.Value);
        command.Parameters.AddWithValue("$agent", (object?)query.Agent ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", (object?)query.Status?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(AuditRows.Read(reader, SqliteTimes.Instance, _database.Path));
        }

        return entries;
    }
}
