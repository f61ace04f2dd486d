using System.Data.Common;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Storage;

/// <summary>The <c>tool_ledger</c> table's row, the same in both databases but for how each keeps times
/// (<see cref="IStoreTimes"/>).</summary>
internal static class LedgerRows
{
    /// <summary>The columns <see cref="Read"/> reads (all but the key).</summary>
    public const string Columns = "tool, arguments, result, status, recorded_at, run_id, epoch, pending";

    /// <summary>The values of an entry, named <c>key, tool, arguments, result, status, at, run, epoch, pending</c>
    /// (without the dialect's prefix).</summary>
    public static (string Name, object? Value)[] Values(ToolLedgerEntry entry, IStoreTimes times) =>
    [
        ("key", entry.Key), ("tool", entry.Tool), ("arguments", entry.Arguments), ("result", entry.Result),
        ("status", entry.Status.ToString()), ("at", times.Write(entry.RecordedAt)), ("run", entry.RunId),
        ("epoch", entry.Epoch), ("pending", entry.IsPending),
    ];

    /// <summary>Reads the entry of <paramref name="key"/> from a row of <see cref="Columns"/>; <paramref name="source"/>
    /// names the database in the error for an unknown status.</summary>
    public static ToolLedgerEntry Read(DbDataReader reader, string key, IStoreTimes times, string source) =>
        new(key, reader.GetString(0), reader.GetString(1), reader.GetString(2),
            Enum.TryParse<ToolCallStatus>(reader.GetString(3), out var status)
                ? status
                : throw new WorkspaceException($"{source}: the ledger entry '{key}' has an unknown status '{reader.GetString(3)}'."),
            times.Read(reader, 4))
        {
            RunId = reader.GetString(5),
            Epoch = reader.GetInt64(6),
            IsPending = reader.GetBoolean(7),
        };
}
