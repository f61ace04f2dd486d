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

    public static long Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static object TimeOrNull(DateTimeOffset? time) => time is { } t ? Time(t) : DBNull.Value;

    public static DateTimeOffset? NullableTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));
}
