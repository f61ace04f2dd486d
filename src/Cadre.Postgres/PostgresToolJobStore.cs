using Cadre.Storage;
using Cadre.Tools;
using Npgsql;

namespace Cadre.Postgres;

/// <summary>Background tool jobs in PostgreSQL, so a run resumed on another host finds the jobs its calls started.</summary>
public sealed class PostgresToolJobStore : IToolJobStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tool_jobs (
            id text PRIMARY KEY,
            key text NOT NULL UNIQUE,
            run_id text NOT NULL,
            step integer NOT NULL,
            agent text NOT NULL,
            tool text NOT NULL,
            arguments text NOT NULL,
            status text NOT NULL,
            result text,
            started_at timestamptz NOT NULL,
            ended_at timestamptz);
        CREATE INDEX tool_jobs_by_run ON tool_jobs(run_id, started_at);
        """,
    ];

    private const string Columns = ToolJobRows.Columns;
    private readonly PostgresDatabase _database;

    private PostgresToolJobStore(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the job store on a workspace database, creating its table if needed.</summary>
    public static async Task<PostgresToolJobStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("tool_jobs", Migrations, cancellationToken);
        return new PostgresToolJobStore(database);
    }

    /// <inheritdoc />
    public async Task<ToolJob> AddAsync(ToolJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, null,
            $"INSERT INTO tool_jobs({Columns}) VALUES (@id, @key, @run, @step, @agent, @tool, @arguments, @status, @result, @started, @ended) ON CONFLICT DO NOTHING;",
            cancellationToken, ToolJobRows.Values(job, PostgresTimes.Instance));
        return (await QueryAsync(connection, "key = @p", job.Key, cancellationToken)).FirstOrDefault() ?? job;
    }

    /// <inheritdoc />
    public async Task UpdateAsync(ToolJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var changed = await PostgresCommands.ExecuteAsync(connection, null, "UPDATE tool_jobs SET status = @status, result = @result, ended_at = @ended WHERE id = @id;",
            cancellationToken, ("id", job.Id), ("status", job.Status.ToString()), ("result", job.Result), ("ended", PostgresCommands.TimeOrNull(job.EndedAt)));
        if (changed == 0)
        {
            throw new InvalidOperationException($"Unknown job '{job.Id}'.");
        }
    }

    /// <inheritdoc />
    public async Task<ToolJob?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return (await QueryAsync(connection, "id = @p", id, cancellationToken)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ToolJob>> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, "run_id = @p ORDER BY started_at, id", runId, cancellationToken);
    }

    private async Task<List<ToolJob>> QueryAsync(NpgsqlConnection connection, string where, string parameter, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, null, $"SELECT {Columns} FROM tool_jobs WHERE {where};", ("p", parameter));
        var jobs = new List<ToolJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(ToolJobRows.Read(reader, PostgresTimes.Instance, _database.Name));
        }

        return jobs;
    }
}
