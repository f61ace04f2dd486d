using Cadre.Memory;
using Npgsql;

namespace Cadre.Postgres.Memory;

/// <summary>The scope visibility rule of <see cref="MemoryScope.Sees"/> in PostgreSQL: every memory query filters by
/// it, so no row of another tenant, a sibling team or a sibling agent is ever read.</summary>
internal static class ScopeSql
{
    /// <summary>The condition under which a row of table alias <paramref name="alias"/> (with tenant, team and agent
    /// columns) is visible to the scope bound to <c>@t</c>, <c>@tm</c>, <c>@ag</c> (see <see cref="Bind"/>).</summary>
    public static string Visible(string alias) =>
        $"{alias}.tenant = @t AND (({alias}.team = '' AND {alias}.agent = '') OR (@tm = '' AND @ag = '') OR " +
        $"({alias}.team = @tm AND ({alias}.agent = '' OR @ag = '' OR {alias}.agent = @ag)))";

    /// <summary>The condition for rows stored at exactly the bound scope.</summary>
    public static string Exactly(string alias) => $"{alias}.tenant = @t AND {alias}.team = @tm AND {alias}.agent = @ag";

    /// <summary>Binds a reader's scope for <see cref="Visible"/> and <see cref="Exactly"/>.</summary>
    public static void Bind(NpgsqlCommand command, MemoryScope scope)
    {
        command.Parameters.AddWithValue("t", scope.Tenant);
        command.Parameters.AddWithValue("tm", scope.Team);
        command.Parameters.AddWithValue("ag", scope.Agent);
    }

    /// <summary>Reads the scope from three text columns starting at <paramref name="ordinal"/>.</summary>
    public static MemoryScope Read(NpgsqlDataReader reader, int ordinal) =>
        new(reader.GetString(ordinal), reader.GetString(ordinal + 1), reader.GetString(ordinal + 2));
}
