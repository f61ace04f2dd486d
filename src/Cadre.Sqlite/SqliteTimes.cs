using System.Data.Common;
using Cadre.Storage;

namespace Cadre.Sqlite;

/// <summary>Times in SQLite: sortable UTC text (<see cref="SqliteText.Time"/>).</summary>
internal sealed class SqliteTimes : IStoreTimes
{
    public static readonly SqliteTimes Instance = new();

    public DateTimeOffset Read(DbDataReader reader, int ordinal) => SqliteText.ParseTime(reader.GetString(ordinal));

    public object Write(DateTimeOffset time) => SqliteText.Time(time);
}
