using Cadre.Storage;
using Cadre.Tools;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite;

/// <summary>The tool ledger in the workspace's SQLite file: side-effecting calls by idempotency key, reserved before
/// they run and completed when they return. Reservations are fenced by the run's epoch, read from the run store's
/// leases in the same transaction (both live in the workspace file).</summary>
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
        """
        ALTER TABLE tool_ledger ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE tool_ledger ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tool_ledger ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    private readonly SqliteDatabase _database;

    private SqliteToolLedger(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the ledger on a workspace database, creating its table if needed.</summary>
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
        return await FindAsync(connection, null, key, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ToolReservationResult> ReserveAsync(ToolReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        var epoch = reservation.RunId.Length == 0 ? 0 : await SqliteCommands.ScalarAsync(connection, transaction, """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'run_leases')
                        THEN coalesce((SELECT epoch FROM run_leases WHERE run_id = $run), 0) ELSE 0 END;
            """, cancellationToken, ("$run", reservation.RunId));
        var (result, write) = ToolLedgerRules.Reserve(await FindAsync(connection, transaction, reservation.Key, cancellationToken), reservation, epoch);
        if (write is not null)
        {
            await WriteAsync(connection, transaction, write, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task RecordAsync(ToolLedgerEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        if (ToolLedgerRules.Record(await FindAsync(connection, transaction, entry.Key, cancellationToken), entry) is { } write)
        {
            await WriteAsync(connection, transaction, write, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, ToolLedgerEntry entry, CancellationToken cancellationToken) =>
        SqliteCommands.ExecuteAsync(connection, transaction, """
            INSERT OR REPLACE INTO tool_ledger(key, tool, arguments, result, status, recorded_at, run_id, epoch, pending)
            VALUES ($key, $tool, $arguments, $result, $status, $at, $run, $epoch, $pending);
            """, cancellationToken, LedgerRows.Values(entry, SqliteTimes.Instance));

    private async Task<ToolLedgerEntry?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = SqliteCommands.Command(connection, transaction,
            $"SELECT {LedgerRows.Columns} FROM tool_ledger WHERE key = $key;", ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return LedgerRows.Read(reader, key, SqliteTimes.Instance, _database.Path);
    }
}
