using System.Globalization;
using Cadre.Memory;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite.Memory;

/// <summary>What the memory stores share when they talk to SQLite: commands with parameters, times as Unix
/// milliseconds, and the scope visibility rule of <see cref="MemoryScope.Sees"/> in SQL.</summary>
internal static class Sql
{
    /// <summary>The condition under which a row of table alias <paramref name="alias"/> (with tenant, team and agent
    /// columns) is visible to the scope bound to <c>$t</c>, <c>$tm</c>, <c>$ag</c> (see <see cref="BindScope"/>).</summary>
    public static string Visible(string alias) =>
        $"{alias}.tenant = $t AND (({alias}.team = '' AND {alias}.agent = '') OR ($tm = '' AND $ag = '') OR " +
        $"({alias}.team = $tm AND ({alias}.agent = '' OR $ag = '' OR {alias}.agent = $ag)))";

    /// <summary>Binds a reader's scope for <see cref="Visible"/>.</summary>
    public static void BindScope(SqliteCommand command, MemoryScope scope)
    {
        command.Parameters.AddWithValue("$t", scope.Tenant);
        command.Parameters.AddWithValue("$tm", scope.Team);
        command.Parameters.AddWithValue("$ag", scope.Agent);
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Opens a write transaction that takes the write lock at once (<c>BEGIN IMMEDIATE</c>), so two writers
    /// never deadlock upgrading read locks; SQLite's busy timeout makes the second one wait.</summary>
    public static async Task<SqliteTransaction> BeginWriteAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);

    public static long Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static object TimeOrNull(DateTimeOffset? time) => time is { } t ? Time(t) : DBNull.Value;

    public static DateTimeOffset? NullableTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));

    public static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
