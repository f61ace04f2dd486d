using Cadre.Agents;
using Cadre.Tools;

namespace Cadre.Postgres;

/// <summary>The tool ledger in PostgreSQL: completed side-effecting calls by idempotency key; the first record of a key
/// wins, whichever host writes it.</summary>
public sealed class PostgresToolLedger : IToolLedger
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tool_ledger (
            key text PRIMARY KEY,
            tool text NOT NULL,
            arguments text NOT NULL,
            result text NOT NULL,
            status text NOT NULL,
            recorded_at timestamptz NOT NULL);
        """,
    ];

    private readonly PostgresDatabase _database;

    private PostgresToolLedger(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the ledger on a workspace database, creating its table if needed.</summary>
    /// <param name="database">The database.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The ledger.</returns>
    public static async Task<PostgresToolLedger> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("tool_ledger", Migrations, cancellationToken);
        return new PostgresToolLedger(database);
    }

    /// <inheritdoc />
    public async Task<ToolLedgerEntry?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null,
            "SELECT tool, arguments, result, status, recorded_at FROM tool_ledger WHERE key = @key;", ("key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ToolLedgerEntry(key, reader.GetString(0), reader.GetString(1), reader.GetString(2),
            Enum.Parse<ToolCallStatus>(reader.GetString(3)), PostgresCommands.ReadTime(reader, 4));
    }

    /// <inheritdoc />
    public async Task RecordAsync(ToolLedgerEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, null, """
            INSERT INTO tool_ledger(key, tool, arguments, result, status, recorded_at)
            VALUES (@key, @tool, @arguments, @result, @status, @at) ON CONFLICT (key) DO NOTHING;
            """, cancellationToken,
            ("key", entry.Key), ("tool", entry.Tool), ("arguments", entry.Arguments), ("result", entry.Result),
            ("status", entry.Status.ToString()), ("at", PostgresCommands.Time(entry.RecordedAt)));
    }
}
