using Cadre.Resilience;
using Cadre.Storage;
using Npgsql;

namespace Cadre.Postgres;

/// <summary>The dead-letter queue in PostgreSQL.</summary>
public sealed class PostgresDeadLetterStore : IDeadLetterStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE dead_letters (
            id text PRIMARY KEY,
            run_id text NOT NULL,
            workflow text NOT NULL,
            task text NOT NULL,
            step integer NOT NULL,
            agent text,
            error text NOT NULL,
            error_type text NOT NULL,
            attempts text NOT NULL,
            inputs text NOT NULL,
            created_at timestamptz NOT NULL,
            status text NOT NULL,
            resolved_at timestamptz,
            resolution text);
        CREATE INDEX dead_letters_by_status ON dead_letters(status, created_at DESC);
        """,
    ];

    private const string Columns = DeadLetterRows.Columns;
    private readonly PostgresDatabase _database;

    private PostgresDeadLetterStore(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the queue on a workspace database, creating its table if needed.</summary>
    public static async Task<PostgresDeadLetterStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("dead_letters", Migrations, cancellationToken);
        return new PostgresDeadLetterStore(database);
    }

    /// <inheritdoc />
    public async Task AddAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, null,
            $"INSERT INTO dead_letters({Columns}) VALUES (@id, @run, @workflow, @task, @step, @agent, @error, @type, @attempts, @inputs, @created, @status, @resolved, @resolution);",
            cancellationToken, DeadLetterRows.Values(letter, PostgresTimes.Instance));
    }

    /// <inheritdoc />
    public async Task<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var exact = await QueryAsync(connection, "WHERE id = @p", id, 1, cancellationToken);
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var byPrefix = await QueryAsync(connection, "WHERE id LIKE @p ESCAPE '\\'", PostgresCommands.EscapeLike(id) + "%", 2, cancellationToken);
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterStatus? status = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return status is null
            ? await QueryAsync(connection, "", null, limit, cancellationToken)
            : await QueryAsync(connection, "WHERE status = @p", status.Value.ToString(), limit, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ResolveAsync(string id, DeadLetterStatus status, string resolution, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(resolution);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await PostgresCommands.ExecuteAsync(connection, null,
            "UPDATE dead_letters SET status = @status, resolution = @resolution, resolved_at = @at WHERE id = @id;", cancellationToken,
            ("id", id), ("status", status.ToString()), ("resolution", resolution), ("at", PostgresCommands.Time(at))) == 1;
    }

    private static async Task<List<DeadLetter>> QueryAsync(NpgsqlConnection connection, string where, string? parameter, int limit, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, null,
            $"SELECT {Columns} FROM dead_letters {where} ORDER BY created_at DESC, id DESC LIMIT @limit;", ("limit", Math.Max(0, limit)));
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("p", parameter);
        }

        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(DeadLetterRows.Read(reader, PostgresTimes.Instance));
        }

        return letters;
    }
}
