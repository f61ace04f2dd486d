using Cadre.Agents;
using Cadre.Tools;

namespace Cadre.Sqlite;

/// <summary>The tool ledger in the workspace's SQLite file: completed side-effecting calls by idempotency key.</summary>
public sealed class SqliteToolLedger : IToolLedger
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tool_ledger (
            key TEXT PRIMARY KEY,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            result TEXT NOT NULL,
            status TEXT NOT NULL,
            recorded_at TEXT NOT NULL);
        """,
    ];

    private readonly SqliteDatabase _database;

    private SqliteToolLedger(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the ledger on a workspace database, creating its table if needed.</summary>
    /// <param name="database">The database.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The ledger.</returns>
    public static async Task<SqliteToolLedger> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("tool_ledger", Migrations, cancellationToken);
        return new SqliteToolLedger(database);
    }

    /// <inheritdoc />
    public async Task<ToolLedgerEntry?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tool, arguments, result, status, recorded_at FROM tool_ledger WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ToolLedgerEntry(key, reader.GetString(0), reader.GetString(1), reader.GetString(2),
            Enum.Parse<ToolCallStatus>(reader.GetString(3)),
            SqliteText.ParseTime(reader.GetString(4)));
    }

    /// <inheritdoc />
    public async Task RecordAsync(ToolLedgerEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO tool_ledger(key, tool, arguments, result, status, recorded_at)
            VALUES ($key, $tool, $arguments, $result, $status, $at) ON CONFLICT(key) DO NOTHING;
            """;
        command.Parameters.AddWithValue("$key", entry.Key);
        command.Parameters.AddWithValue("$tool", entry.Tool);
        command.Parameters.AddWithValue("$arguments", entry.Arguments);
        command.Parameters.AddWithValue("$result", entry.Result);
        command.Parameters.AddWithValue("$status", entry.Status.ToString());
        command.Parameters.AddWithValue("$at", SqliteText.Time(entry.RecordedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
