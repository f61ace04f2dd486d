using System.Data.Common;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Storage;

/// <summary>The <c>tool_audit</c> table's columns, the same in both databases.</summary>
internal static class AuditRows
{
    public const string Columns = "at, run_id, step, agent, tool, call_id, key, arguments, status, result, detail, duration_ms, executions, outcome";

    /// <summary>The values for <see cref="Columns"/>, named <c>at, run, step, agent, tool, call, key, arguments, status,
    /// result, detail, duration, executions, outcome</c> (without the dialect's prefix).</summary>
    public static (string Name, object? Value)[] Values(AuditEntry entry, IStoreTimes times) =>
    [
        ("at", times.Write(entry.At)), ("run", entry.RunId), ("step", entry.Step), ("agent", entry.Agent), ("tool", entry.Tool),
        ("call", entry.CallId), ("key", entry.Key), ("arguments", entry.Arguments), ("status", entry.Status.ToString()),
        ("result", entry.Result), ("detail", entry.Detail), ("duration", entry.Duration.TotalMilliseconds),
        ("executions", entry.Executions), ("outcome", entry.Outcome.ToString()),
    ];

    /// <summary>Reads an entry; <paramref name="source"/> names the database in the error for an unknown status.</summary>
    public static AuditEntry Read(DbDataReader reader, IStoreTimes times, string source)
    {
        var entry = new AuditEntry
        {
            At = times.Read(reader, 0),
            RunId = reader.GetString(1),
            Step = reader.GetInt32(2),
            Agent = reader.GetString(3),
            Tool = reader.GetString(4),
            CallId = reader.GetString(5),
            Key = reader.GetString(6),
            Arguments = reader.GetString(7),
            Status = Enum.TryParse<ToolCallStatus>(reader.GetString(8), out var status)
                ? status
                : throw new WorkspaceException($"{source}: an audit entry has an unknown status '{reader.GetString(8)}'."),
            Result = reader.GetString(9),
            Detail = StoreRows.NullableString(reader, 10),
            Duration = TimeSpan.FromMilliseconds(reader.GetDouble(11)),
            Executions = reader.GetInt32(12),
        };
        // An outcome equal to the one derived from the status is left derived, so entries read back equal those written.
        return reader.IsDBNull(13) || !Enum.TryParse<AuditOutcome>(reader.GetString(13), out var outcome) || outcome == entry.Outcome ? entry : entry with { Outcome = outcome };
    }
}
