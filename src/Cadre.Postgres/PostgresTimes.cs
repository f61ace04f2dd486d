using System.Data.Common;
using Cadre.Storage;

namespace Cadre.Postgres;

/// <summary>Times in PostgreSQL: <c>timestamptz</c>, written in UTC (Npgsql takes only UTC offsets).</summary>
internal sealed class PostgresTimes : IStoreTimes
{
    public static readonly PostgresTimes Instance = new();

    public DateTimeOffset Read(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public object Write(DateTimeOffset time) => time.ToUniversalTime();
}
