using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cadre.Storage;

/// <summary>Column reading and writing that is the same in the SQLite and PostgreSQL stores: nullable columns, JSON
/// columns and times through <see cref="IStoreTimes"/>. Linked as source into both store projects.</summary>
internal static class StoreRows
{
    /// <summary>The JSON options every store writes its JSON columns with.</summary>
    public static readonly JsonSerializerOptions Json = AIJsonUtilities.DefaultOptions;

    public static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? NullableTime(this IStoreTimes times, DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : times.Read(reader, ordinal);

    public static object WriteOrNull(this IStoreTimes times, DateTimeOffset? time) =>
        time is { } t ? times.Write(t) : DBNull.Value;

    /// <summary>Reads a JSON text column, or <paramref name="empty"/> when it holds JSON <c>null</c>.</summary>
    public static T FromJson<T>(DbDataReader reader, int ordinal, T empty) =>
        JsonSerializer.Deserialize<T>(reader.GetString(ordinal), Json) ?? empty;

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>Makes <c>%</c>, <c>_</c> and <c>\</c> plain characters in a <c>LIKE</c> pattern written with
    /// <c>ESCAPE '\'</c> (the same in both databases), so user text never acts as a wildcard.</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
