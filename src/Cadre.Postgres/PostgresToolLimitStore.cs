using Cadre.Tools;

namespace Cadre.Postgres;

/// <summary>Rate limits and exclusive locks in PostgreSQL, so they hold across processes and hosts: each decision is
/// one transaction holding an advisory lock on the limit's key, so two hosts never both take the last permit.</summary>
public sealed class PostgresToolLimitStore : IToolLimitStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tool_permits (key text NOT NULL, taken_at bigint NOT NULL);
        CREATE INDEX tool_permits_key ON tool_permits(key, taken_at);
        CREATE TABLE tool_locks (key text PRIMARY KEY, holder text NOT NULL, expires_at bigint NOT NULL);
        """,
    ];

    private readonly PostgresDatabase _database;

    private PostgresToolLimitStore(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating its tables if needed.</summary>
    /// <param name="database">The workspace's PostgreSQL database; the store opens a pooled connection per call.</param>
    /// <param name="cancellationToken">Cancels the work; nothing is created when cancelled.</param>
    public static async Task<PostgresToolLimitStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("tool_limits", Migrations, cancellationToken);
        return new PostgresToolLimitStore(database);
    }

    /// <inheritdoc />
    public async ValueTask<TimeSpan?> TryAcquireAsync(string key, ToolRateLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(limit);
        var at = now.ToUnixTimeMilliseconds();
        var windowStart = at - (long)limit.Window.TotalMilliseconds;
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresCommands.LockAsync(connection, transaction, "tool-permits:" + key, cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, transaction, "DELETE FROM tool_permits WHERE key = @k AND taken_at <= @start;", cancellationToken, ("k", key), ("start", windowStart));
        var taken = await PostgresCommands.ScalarAsync(connection, transaction, "SELECT count(*) FROM tool_permits WHERE key = @k;", cancellationToken, ("k", key));
        if (taken >= limit.Permits)
        {
            // Free when the oldest permit in the window leaves it.
            var oldest = await PostgresCommands.ScalarAsync(connection, transaction, "SELECT min(taken_at) FROM tool_permits WHERE key = @k;", cancellationToken, ("k", key));
            await transaction.CommitAsync(cancellationToken);
            return TimeSpan.FromMilliseconds(Math.Max(1, oldest + (long)limit.Window.TotalMilliseconds - at));
        }

        await PostgresCommands.ExecuteAsync(connection, transaction, "INSERT INTO tool_permits(key, taken_at) VALUES (@k, @at);", cancellationToken, ("k", key), ("at", at));
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryLockAsync(string key, string holder, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(holder);
        var at = now.ToUnixTimeMilliseconds();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // One statement: the row lock of the upsert decides between two hosts asking at once.
        var changed = await PostgresCommands.ExecuteAsync(connection, null, """
            INSERT INTO tool_locks(key, holder, expires_at) VALUES (@k, @h, @until)
            ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE tool_locks.holder = excluded.holder OR tool_locks.expires_at <= @now;
            """, cancellationToken, ("k", key), ("h", holder), ("until", at + (long)lease.TotalMilliseconds), ("now", at));
        return changed > 0;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string key, string holder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(holder);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, null, "DELETE FROM tool_locks WHERE key = @k AND holder = @h;", cancellationToken, ("k", key), ("h", holder));
    }
}
