using Cadre.Storage;
using Cadre.Tools;

namespace Cadre.Postgres;

/// <summary>The audit log in PostgreSQL: one row per governed tool call, from every host.</summary>
public sealed class PostgresAuditLog : IAuditLog
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tool_audit (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL,
            run_id text NOT NULL,
            step integer NOT NULL,
            agent text NOT NULL,
            tool text NOT NULL,
            call_id text NOT NULL,
            key text NOT NULL,
            arguments text NOT NULL,
            status text NOT NULL,
            result text NOT NULL,
            detail text,
            duration_ms double precision NOT NULL);
        CREATE INDEX tool_audit_by_run ON tool_audit(run_id, seq);
        """,
        """
        ALTER TABLE tool_audit ADD COLUMN executions integer NOT NULL DEFAULT 0;
        ALTER TABLE tool_audit ADD COLUMN outcome text;
        """,
    ];

    private readonly PostgresDatabase _database;

    private PostgresAuditLog(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the audit log on a workspace database, creating its table if needed.</summary>
    public static async Task<PostgresAuditLog> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("tool_audit", Migrations, cancellationToken);
        return new PostgresAuditLog(database);
    }

    /// <inheritdoc />
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, null, $"""
            INSERT INTO tool_audit({AuditRows.Columns})
            VALUES (@at, @run, @step, @agent, @tool, @call, @key, @arguments, @status, @result, @detail, @duration, @executions, @outcome);
            """, cancellationToken, AuditRows.Values(entry, PostgresTimes.Instance));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, """
            SELECT at, run_id, step, agent, tool, call_id, key, arguments, status, result, detail, duration_ms, executions, outcome FROM (
              SELECT * FROM tool_audit
              WHERE (@run::text IS NULL OR run_id = @run) AND (@tool::text IS NULL OR tool = @tool)
                AND (@agent::text IS NULL OR agent = @agent) AND (@status::text IS NULL OR status = @status)
              ORDER BY seq DESC LIMIT @limit) newest
            ORDER BY seq;
            """, ("run", query.RunId), ("tool", query.Tool), ("agent", query.Agent), ("status", query.Status?.ToString()), ("limit", Math.Max(0, query.Limit)));
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(AuditRows.Read(reader, PostgresTimes.Instance, _database.Name));
        }

        return entries;
    }
}
