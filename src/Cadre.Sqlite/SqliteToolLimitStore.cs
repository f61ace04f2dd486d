using Cadre.Tools;
using static Cadre.Sqlite.SqliteCommands;

namespace Cadre.Sqlite;

/// <summary>Rate limits and exclusive locks in the workspace's SQLite file, so they hold across processes: every
/// decision is one write transaction (<c>BEGIN IMMEDIATE</c>), which SQLite serialises between processes.</summary>
public sealed class SqliteToolLimitStore : IToolLimitStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tool_permits (key TEXT NOT NULL, taken_at INTEGER NOT NULL);
        CREATE INDEX tool_permits_key ON tool_permits(key, taken_at);
        CREATE TABLE tool_locks (key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);
        """,
    ];

    private readonly SqliteDatabase _database;

    private SqliteToolLimitStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating its tables if needed.</summary>
    public static async Task<SqliteToolLimitStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("tool_limits", Migrations, cancellationToken);
        return new SqliteToolLimitStore(database);
    }

    /// <inheritdoc />
    public async ValueTask<TimeSpan?> TryAcquireAsync(string key, ToolRateLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(limit);
        var at = now.ToUnixTimeMilliseconds();
        var windowStart = at - (long)limit.Window.TotalMilliseconds;
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM tool_permits WHERE key = $k AND taken_at <= $start;", cancellationToken, ("$k", key), ("$start", windowStart));
        var taken = await ScalarAsync(connection, transaction, "SELECT count(*) FROM tool_permits WHERE key = $k;", cancellationToken, ("$k", key));
        if (taken >= limit.Permits)
        {
            // Free when the oldest permit in the window leaves it.
            var oldest = await ScalarAsync(connection, transaction, "SELECT min(taken_at) FROM tool_permits WHERE key = $k;", cancellationToken, ("$k", key));
            await transaction.CommitAsync(cancellationToken);
            return TimeSpan.FromMilliseconds(Math.Max(1, oldest + (long)limit.Window.TotalMilliseconds - at));
        }

        await ExecuteAsync(connection, transaction, "INSERT INTO tool_permits(key, taken_at) VALUES ($k, $at);", cancellationToken, ("$k", key), ("$at", at));
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
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var changed = await ExecuteAsync(connection, transaction, """
            INSERT INTO tool_locks(key, holder, expires_at) VALUES ($k, $h, $until)
            ON CONFLICT(key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE tool_locks.holder = excluded.holder OR tool_locks.expires_at <= $now;
            """, cancellationToken, ("$k", key), ("$h", holder), ("$until", at + (long)lease.TotalMilliseconds), ("$now", at));
        await transaction.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string key, string holder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(holder);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "DELETE FROM tool_locks WHERE key = $k AND holder = $h;", cancellationToken, ("$k", key), ("$h", holder));
    }
}
