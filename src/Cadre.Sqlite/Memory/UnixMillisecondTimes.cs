using System.Data.Common;
using Cadre.Storage;

namespace Cadre.Sqlite.Memory;

/// <summary>Times in the SQLite memory tables: Unix milliseconds (<see cref="Sql.Time(DateTimeOffset)"/>).</summary>
internal sealed class UnixMillisecondTimes : IStoreTimes
{
    public static readonly UnixMillisecondTimes Instance = new();

    public DateTimeOffset Read(DbDataReader reader, int ordinal) => Sql.Time(reader.GetInt64(ordinal));

    public object Write(DateTimeOffset time) => Sql.Time(time);
}
