using Cadre.Storage;
using Cadre.Tools;
using Npgsql;

namespace Cadre.Postgres;

/// <summary>The tool ledger in PostgreSQL: side-effecting calls by idempotency key, reserved (pending, fenced by the
/// run's epoch) before they run and completed after; the first completed record of a key wins, whichever host writes
/// it. Writes of a key are serialized by its advisory lock; the rules are <see cref="ToolLedgerRules"/>.</summary>
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
        """
        ALTER TABLE tool_ledger ADD COLUMN run_id text NOT NULL DEFAULT '';
        ALTER TABLE tool_ledger ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
        ALTER TABLE tool_ledger ADD COLUMN pending boolean NOT NULL DEFAULT false;
        """,
    ];

    private readonly PostgresDatabase _database;

    private PostgresToolLedger(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the ledger on a workspace database, creating its table if needed.</summary>
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
        return await FindAsync(connection, null, key, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ToolReservationResult> ReserveAsync(ToolReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresCommands.LockAsync(connection, transaction, "ledger:" + reservation.Key, cancellationToken);
        var epoch = reservation.RunId.Length == 0 ? 0 : await RunEpochAsync(connection, transaction, reservation.RunId, cancellationToken);
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
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresCommands.LockAsync(connection, transaction, "ledger:" + entry.Key, cancellationToken);
        if (ToolLedgerRules.Record(await FindAsync(connection, transaction, entry.Key, cancellationToken), entry) is { } write)
        {
            await WriteAsync(connection, transaction, write, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // The run's current epoch (0 when never claimed or when this database keeps no runs), read with a share lock so a
    // claim cannot raise it before this reservation commits.
    private static async Task<long> RunEpochAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        if (await PostgresCommands.ScalarAsync(connection, transaction, "SELECT CASE WHEN to_regclass('runs') IS NULL THEN 0 ELSE 1 END;", cancellationToken) == 0)
        {
            return 0;
        }

        await using var command = PostgresCommands.Command(connection, transaction, "SELECT epoch FROM runs WHERE id = @run FOR SHARE;", ("run", runId));
        return await command.ExecuteScalarAsync(cancellationToken) is long epoch ? epoch : 0;
    }

    private static Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ToolLedgerEntry entry, CancellationToken cancellationToken) =>
        PostgresCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO tool_ledger(key, tool, arguments, result, status, recorded_at, run_id, epoch, pending)
            VALUES (@key, @tool, @arguments, @result, @status, @at, @run, @epoch, @pending)
            ON CONFLICT (key) DO UPDATE SET tool = excluded.tool, arguments = excluded.arguments, result = excluded.result,
                status = excluded.status, recorded_at = excluded.recorded_at, run_id = excluded.run_id, epoch = excluded.epoch,
                pending = excluded.pending;
            """, cancellationToken, LedgerRows.Values(entry, PostgresTimes.Instance));

    private async Task<ToolLedgerEntry?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, transaction,
            $"SELECT {LedgerRows.Columns} FROM tool_ledger WHERE key = @key;", ("key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return LedgerRows.Read(reader, key, PostgresTimes.Instance, _database.Name);
    }
}
