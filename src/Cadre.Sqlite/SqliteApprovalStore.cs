using Cadre.Storage;
using Cadre.Tools;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite;

/// <summary>Approval requests in the workspace's SQLite file (table <c>approvals</c>, its own schema component), so a
/// request and its decision outlive the process that asked.</summary>
public sealed class SqliteApprovalStore : IApprovalStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE approvals (
            id TEXT PRIMARY KEY,
            call_key TEXT NOT NULL,
            run_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            agent TEXT NOT NULL,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            status TEXT NOT NULL,
            decided_by TEXT,
            reason TEXT,
            decided_at TEXT);
        CREATE UNIQUE INDEX approvals_by_call ON approvals(call_key, tool, arguments);
        CREATE INDEX approvals_by_status ON approvals(status, requested_at DESC);
        CREATE INDEX approvals_by_run ON approvals(run_id);
        """,
    ];

    private const string Columns = ApprovalRows.Columns;
    private readonly SqliteDatabase _database;

    private SqliteApprovalStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating its table if needed.</summary>
    public static async Task<SqliteApprovalStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("approvals", Migrations, cancellationToken);
        return new SqliteApprovalStore(database);
    }

    /// <inheritdoc />
    public async Task<ApprovalRequest> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // One statement: a second process asking for the same call finds the first one's request.
        await SqliteCommands.ExecuteAsync(connection, null,
            $"INSERT INTO approvals({Columns}) VALUES ($id, $key, $run, $step, $agent, $tool, $arguments, $at, $status, NULL, NULL, NULL) ON CONFLICT(call_key, tool, arguments) DO NOTHING;",
            cancellationToken, ApprovalRows.Values(request, SqliteTimes.Instance));
        var stored = await QueryAsync(connection, "WHERE call_key = $key AND tool = $tool AND arguments = $arguments", 1, cancellationToken,
            ("$key", request.Key), ("$tool", request.Tool), ("$arguments", request.Arguments));
        return stored[0];
    }

    /// <inheritdoc />
    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var exact = await QueryAsync(connection, "WHERE id = $p", 1, cancellationToken, ("$p", id));
        if (exact.Count == 1 || id.Length == 0)
        {
            return exact.Count == 1 ? exact[0] : null;
        }

        var byPrefix = await QueryAsync(connection, "WHERE id LIKE $p ESCAPE '\\'", 2, cancellationToken, ("$p", SqliteText.EscapeLike(id) + "%"));
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status = null, string? runId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, "WHERE ($status IS NULL OR status = $status) AND ($run IS NULL OR run_id = $run)", limit, cancellationToken,
            ("$status", status?.ToString()), ("$run", runId));
    }

    /// <inheritdoc />
    public async Task<ApprovalRequest?> DecideAsync(string id, bool approved, string decidedBy, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(decidedBy);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // Only a pending request changes: two people deciding at once, the first one wins.
        var changed = await SqliteCommands.ExecuteAsync(connection, null,
            "UPDATE approvals SET status = $status, decided_by = $by, reason = $reason, decided_at = $at WHERE id = $id AND status = 'Pending';",
            cancellationToken,
            ("$id", id), ("$status", (approved ? ApprovalStatus.Approved : ApprovalStatus.Denied).ToString()), ("$by", decidedBy), ("$reason", reason), ("$at", SqliteText.Time(at)));
        if (changed == 0)
        {
            return null;
        }

        var decided = await QueryAsync(connection, "WHERE id = $p", 1, cancellationToken, ("$p", id));
        return decided[0];
    }

    private static async Task<List<ApprovalRequest>> QueryAsync(SqliteConnection connection, string where, int limit, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = SqliteCommands.Command(connection, null, $"SELECT {Columns} FROM approvals {where} ORDER BY requested_at DESC, rowid DESC LIMIT $limit;", parameters);
        command.Parameters.AddWithValue("$limit", limit);
        var requests = new List<ApprovalRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            requests.Add(ApprovalRows.Read(reader, SqliteTimes.Instance));
        }

        return requests;
    }
}
