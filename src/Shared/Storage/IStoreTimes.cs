using System.Data.Common;

namespace Cadre.Storage;

/// <summary>How one database keeps times: SQLite as sortable UTC text, PostgreSQL as <c>timestamptz</c>. The row
/// readers shared by both stores read and write times only through this.</summary>
internal interface IStoreTimes
{
    /// <summary>Reads a non-null time column.</summary>
    DateTimeOffset Read(DbDataReader reader, int ordinal);

    /// <summary>A time as the value of a command parameter.</summary>
    object Write(DateTimeOffset time);
}
