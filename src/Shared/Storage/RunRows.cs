using System.Data.Common;
using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Storage;

/// <summary>The <c>runs</c> and <c>run_steps</c> rows, the same in both databases but for how each keeps times
/// (<see cref="IStoreTimes"/>).</summary>
internal static class RunRows
{
    /// <summary>The run columns <see cref="ReadRun"/> reads.</summary>
    public const string RunColumns = "id, workflow, task, status, started_at, ended_at, answer, error, input_tokens, output_tokens, steps, metadata, pending_work";

    /// <summary>The step columns <see cref="ReadStep"/> reads.</summary>
    public const string StepColumns = "step, agent, started_at, duration_ms, input_tokens, output_tokens, handoff_to, handoff_note, text, tool_calls, first_seq, message_count, level, error";

    public static RunRecord ReadRun(DbDataReader reader, IStoreTimes times) => new()
    {
        Id = reader.GetString(0),
        Workflow = reader.GetString(1),
        Task = reader.GetString(2),
        Status = Enum.Parse<RunStatus>(reader.GetString(3)),
        StartedAt = times.Read(reader, 4),
        EndedAt = times.NullableTime(reader, 5),
        Answer = StoreRows.NullableString(reader, 6),
        Error = StoreRows.NullableString(reader, 7),
        Usage = new TokenUsage(reader.GetInt64(8), reader.GetInt64(9)),
        Steps = reader.GetInt32(10),
        Metadata = StoreRows.FromJson<Dictionary<string, string>>(reader, 11, []),
        PendingWork = StoreRows.FromJson<List<string>>(reader, 12, []),
    };

    /// <summary>Reads a step of run <paramref name="runId"/>; its messages are the slice of the run's
    /// <paramref name="thread"/> that the row's first message and count name.</summary>
    public static RunStep ReadStep(DbDataReader reader, string runId, IReadOnlyList<ChatMessage> thread, IStoreTimes times) => new()
    {
        RunId = runId,
        Index = reader.GetInt32(0),
        Agent = reader.GetString(1),
        StartedAt = times.Read(reader, 2),
        Duration = TimeSpan.FromMilliseconds(reader.GetDouble(3)),
        Usage = new TokenUsage(reader.GetInt64(4), reader.GetInt64(5)),
        Handoff = reader.IsDBNull(6) ? null : new Handoff(reader.GetString(6), StoreRows.NullableString(reader, 7) ?? ""),
        Text = reader.GetString(8),
        ToolCalls = StoreRows.FromJson<List<ToolCallRecord>>(reader, 9, []),
        Messages = thread.Skip(reader.GetInt32(10)).Take(reader.GetInt32(11)).ToList(),
        Level = reader.IsDBNull(12) ? null : StoreRows.FromJson<ServedLevel?>(reader, 12, null),
        Error = StoreRows.NullableString(reader, 13),
    };
}
