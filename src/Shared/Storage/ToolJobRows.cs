using System.Data.Common;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Storage;

/// <summary>The <c>tool_jobs</c> table's columns, the same in both databases.</summary>
internal static class ToolJobRows
{
    public const string Columns = "id, key, run_id, step, agent, tool, arguments, status, result, started_at, ended_at";

    /// <summary>The values for <see cref="Columns"/>, named <c>id, key, run, step, agent, tool, arguments, status,
    /// result, started, ended</c> (without the dialect's prefix).</summary>
    public static (string Name, object? Value)[] Values(ToolJob job, IStoreTimes times) =>
    [
        ("id", job.Id), ("key", job.Key), ("run", job.RunId), ("step", job.Step), ("agent", job.Agent), ("tool", job.Tool),
        ("arguments", job.Arguments), ("status", job.Status.ToString()), ("result", job.Result),
        ("started", times.Write(job.StartedAt)), ("ended", times.WriteOrNull(job.EndedAt)),
    ];

    /// <summary>Reads a job; <paramref name="source"/> names the database in the error for an unknown status.</summary>
    public static ToolJob Read(DbDataReader reader, IStoreTimes times, string source) => new()
    {
        Id = reader.GetString(0),
        Key = reader.GetString(1),
        RunId = reader.GetString(2),
        Step = reader.GetInt32(3),
        Agent = reader.GetString(4),
        Tool = reader.GetString(5),
        Arguments = reader.GetString(6),
        Status = Enum.TryParse<ToolJobStatus>(reader.GetString(7), out var status)
            ? status
            : throw new WorkspaceException($"{source}: job '{reader.GetString(0)}' has an unknown status '{reader.GetString(7)}'."),
        Result = StoreRows.NullableString(reader, 8),
        StartedAt = times.Read(reader, 9),
        EndedAt = times.NullableTime(reader, 10),
    };
}
