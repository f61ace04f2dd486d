using Cadre.Storage;
using Cadre.Tools;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite;

/// <summary>Background tool jobs in the workspace's SQLite file, so a resumed run finds the jobs its calls started.</summary>
public sealed class SqliteToolJobStore : IToolJobStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tool_jobs (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            run_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            agent TEXT NOT NULL,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            status TEXT NOT NULL,
            result TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT);
        CREATE INDEX tool_jobs_by_run ON tool_jobs(run_id, started_at);
        """,
    ];

    private const string Columns = ToolJobRows.Columns;
    private readonly SqliteDatabase _database;

    private SqliteToolJobStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the job store on a workspace database, creating its table if needed.</summary>
    public static async Task<SqliteToolJobStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("tool_jobs", Migrations, cancellationToken);
        return new SqliteToolJobStore(database);
    }

    /// <inheritdoc />
    public async Task<ToolJob> AddAsync(ToolJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await SqliteCommands.ExecuteAsync(connection, null,
            $"INSERT INTO tool_jobs({Columns}) VALUES ($id, $key, $run, $step, $agent, $tool, $arguments, $status, $result, $started, $ended) ON CONFLICT DO NOTHING;",
            cancellationToken, ToolJobRows.Values(job, SqliteTimes.Instance));
        return await QueryOneAsync(connection, "key = $p", job.Key, cancellationToken) ?? job;
    }

    /// <inheritdoc />
    public async Task UpdateAsync(ToolJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        if (await SqliteCommands.ExecuteAsync(connection, null, "UPDATE tool_jobs SET status = $status, result = $result, ended_at = $ended WHERE id = $id;",
                cancellationToken, ToolJobRows.Values(job, SqliteTimes.Instance)) == 0)
        {
            throw new InvalidOperationException($"Unknown job '{job.Id}'.");
        }
    }

    /// <inheritdoc />
    public async Task<ToolJob?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await QueryOneAsync(connection, "id = $p", id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ToolJob>> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, "run_id = $p ORDER BY started_at, id", runId, cancellationToken);
    }

    private async Task<ToolJob?> QueryOneAsync(SqliteConnection connection, string where, string parameter, CancellationToken cancellationToken)
    {
        var jobs = await QueryAsync(connection, where, parameter, cancellationToken);
        return jobs.Count == 0 ? null : jobs[0];
    }

    private async Task<IReadOnlyList<ToolJob>> QueryAsync(SqliteConnection connection, string where, string parameter, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM tool_jobs WHERE {where};";
        command.Parameters.AddWithValue("$p", parameter);
        var jobs = new List<ToolJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(ToolJobRows.Read(reader, SqliteTimes.Instance, _database.Path));
        }

        return jobs;
    }
}
