using System.Globalization;

namespace Cadre.Sqlite;

/// <summary>How the workspace's stores write times and match id prefixes in SQLite text columns.</summary>
internal static class SqliteText
{
    /// <summary>A time as sortable UTC text.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a time written by <see cref="Time"/>.</summary>
    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Escapes a text for a <c>LIKE ... ESCAPE '\'</c> prefix match.</summary>
    public static string EscapeLike(string text) => Cadre.Storage.StoreRows.EscapeLike(text);
}
