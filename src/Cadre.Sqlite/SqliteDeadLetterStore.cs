using Cadre.Resilience;
using Cadre.Storage;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite;

/// <summary>The dead-letter queue in the workspace's SQLite file.</summary>
public sealed class SqliteDeadLetterStore : IDeadLetterStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE dead_letters (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL,
            workflow TEXT NOT NULL,
            task TEXT NOT NULL,
            step INTEGER NOT NULL,
            agent TEXT,
            error TEXT NOT NULL,
            error_type TEXT NOT NULL,
            attempts TEXT NOT NULL,
            inputs TEXT NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT);
        CREATE INDEX dead_letters_by_status ON dead_letters(status, created_at DESC);
        """,
    ];

    private const string Columns = DeadLetterRows.Columns;
    private readonly SqliteDatabase _database;

    private SqliteDeadLetterStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the queue on a workspace database, creating its table if needed.</summary>
    public static async Task<SqliteDeadLetterStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("dead_letters", Migrations, cancellationToken);
        return new SqliteDeadLetterStore(database);
    }

    /// <inheritdoc />
    public async Task AddAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await SqliteCommands.ExecuteAsync(connection, null,
            $"INSERT INTO dead_letters({Columns}) VALUES ($id, $run, $workflow, $task, $step, $agent, $error, $type, $attempts, $inputs, $created, $status, $resolved, $resolution);",
            cancellationToken, DeadLetterRows.Values(letter, SqliteTimes.Instance));
    }

    /// <inheritdoc />
    public async Task<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var exact = await QueryAsync(connection, "WHERE id = $p", id, 1, cancellationToken);
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var byPrefix = await QueryAsync(connection, "WHERE id LIKE $p ESCAPE '\\'", SqliteText.EscapeLike(id) + "%", 2, cancellationToken);
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterStatus? status = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return status is null
            ? await QueryAsync(connection, "", null, limit, cancellationToken)
            : await QueryAsync(connection, "WHERE status = $p", status.Value.ToString(), limit, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ResolveAsync(string id, DeadLetterStatus status, string resolution, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(resolution);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE dead_letters SET status = $status, resolution = $resolution, resolved_at = $at WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$status", status.ToString());
        command.Parameters.AddWithValue("$resolution", resolution);
        command.Parameters.AddWithValue("$at", SqliteText.Time(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<List<DeadLetter>> QueryAsync(SqliteConnection connection, string where, string? parameter, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM dead_letters {where} ORDER BY created_at DESC, id DESC LIMIT $limit;";
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("$p", parameter);
        }

        command.Parameters.AddWithValue("$limit", limit);
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(DeadLetterRows.Read(reader, SqliteTimes.Instance));
        }

        return letters;
    }
}
