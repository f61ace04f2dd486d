using Cadre.Storage;
using Cadre.Tools;
using Npgsql;

namespace Cadre.Postgres;

/// <summary>Approval requests in PostgreSQL (table <c>approvals</c>, its own schema component), so a request and its
/// decision outlive the process that asked and every host sees the same queue.</summary>
public sealed class PostgresApprovalStore : IApprovalStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE approvals (
            id text PRIMARY KEY,
            call_key text NOT NULL,
            run_id text NOT NULL,
            step integer NOT NULL,
            agent text NOT NULL,
            tool text NOT NULL,
            arguments text NOT NULL,
            requested_at timestamptz NOT NULL,
            status text NOT NULL,
            decided_by text,
            reason text,
            decided_at timestamptz,
            seq bigserial NOT NULL);
        CREATE UNIQUE INDEX approvals_by_call ON approvals(call_key, tool, md5(arguments));
        CREATE INDEX approvals_by_status ON approvals(status, requested_at DESC);
        CREATE INDEX approvals_by_run ON approvals(run_id);
        """,
    ];

    private const string Columns = ApprovalRows.Columns;
    private readonly PostgresDatabase _database;

    private PostgresApprovalStore(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating its table if needed.</summary>
    public static async Task<PostgresApprovalStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("approvals", Migrations, cancellationToken);
        return new PostgresApprovalStore(database);
    }

    /// <inheritdoc />
    public async Task<ApprovalRequest> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // One statement: a second host asking for the same call finds the first one's request.
        await PostgresCommands.ExecuteAsync(connection, null,
            $"INSERT INTO approvals({Columns}) VALUES (@id, @key, @run, @step, @agent, @tool, @arguments, @at, @status, NULL, NULL, NULL) ON CONFLICT (call_key, tool, md5(arguments)) DO NOTHING;",
            cancellationToken, ApprovalRows.Values(request, PostgresTimes.Instance));
        var stored = await QueryAsync(connection, "WHERE call_key = @key AND tool = @tool AND arguments = @arguments", 1, cancellationToken,
            ("key", request.Key), ("tool", request.Tool), ("arguments", request.Arguments));
        return stored[0];
    }

    /// <inheritdoc />
    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var exact = await QueryAsync(connection, "WHERE id = @p", 1, cancellationToken, ("p", id));
        if (exact.Count == 1 || id.Length == 0)
        {
            return exact.Count == 1 ? exact[0] : null;
        }

        var byPrefix = await QueryAsync(connection, "WHERE id LIKE @p ESCAPE '\\'", 2, cancellationToken, ("p", PostgresCommands.EscapeLike(id) + "%"));
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status = null, string? runId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        if (status is { } s)
        {
            conditions.Add("status = @status");
            parameters.Add(("status", s.ToString()));
        }

        if (runId is not null)
        {
            conditions.Add("run_id = @run");
            parameters.Add(("run", runId));
        }

        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        return await QueryAsync(connection, where, limit, cancellationToken, [.. parameters]);
    }

    /// <inheritdoc />
    public async Task<ApprovalRequest?> DecideAsync(string id, bool approved, string decidedBy, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(decidedBy);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // Only a pending request changes: two people deciding at once, the first one wins.
        var changed = await PostgresCommands.ExecuteAsync(connection, null,
            "UPDATE approvals SET status = @status, decided_by = @by, reason = @reason, decided_at = @at WHERE id = @id AND status = 'Pending';",
            cancellationToken,
            ("id", id), ("status", (approved ? ApprovalStatus.Approved : ApprovalStatus.Denied).ToString()), ("by", decidedBy),
            ("reason", (object?)reason ?? DBNull.Value), ("at", PostgresCommands.Time(at)));
        if (changed == 0)
        {
            return null;
        }

        var decided = await QueryAsync(connection, "WHERE id = @p", 1, cancellationToken, ("p", id));
        return decided[0];
    }

    private static async Task<List<ApprovalRequest>> QueryAsync(NpgsqlConnection connection, string where, int limit, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = PostgresCommands.Command(connection, null, $"SELECT {Columns} FROM approvals {where} ORDER BY requested_at DESC, seq DESC LIMIT @limit;", parameters);
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        var requests = new List<ApprovalRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            requests.Add(ApprovalRows.Read(reader, PostgresTimes.Instance));
        }

        return requests;
    }
}
