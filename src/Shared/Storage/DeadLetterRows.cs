using System.Data.Common;
using Cadre.Resilience;

namespace Cadre.Storage;

/// <summary>The <c>dead_letters</c> table's columns, the same in both databases.</summary>
internal static class DeadLetterRows
{
    public const string Columns = "id, run_id, workflow, task, step, agent, error, error_type, attempts, inputs, created_at, status, resolved_at, resolution";

    /// <summary>The values for <see cref="Columns"/>, named <c>id, run, workflow, task, step, agent, error, type,
    /// attempts, inputs, created, status, resolved, resolution</c> (without the dialect's prefix).</summary>
    public static (string Name, object? Value)[] Values(DeadLetter letter, IStoreTimes times) =>
    [
        ("id", letter.Id), ("run", letter.RunId), ("workflow", letter.Workflow), ("task", letter.Task), ("step", letter.Step), ("agent", letter.Agent),
        ("error", letter.Error), ("type", letter.ErrorType), ("attempts", StoreRows.ToJson(letter.Attempts)),
        ("inputs", StoreRows.ToJson(letter.Inputs)), ("created", times.Write(letter.CreatedAt)), ("status", letter.Status.ToString()),
        ("resolved", times.WriteOrNull(letter.ResolvedAt)), ("resolution", letter.Resolution),
    ];

    public static DeadLetter Read(DbDataReader reader, IStoreTimes times) => new()
    {
        Id = reader.GetString(0),
        RunId = reader.GetString(1),
        Workflow = reader.GetString(2),
        Task = reader.GetString(3),
        Step = reader.GetInt32(4),
        Agent = StoreRows.NullableString(reader, 5),
        Error = reader.GetString(6),
        ErrorType = reader.GetString(7),
        Attempts = StoreRows.FromJson<List<CallAttempt>>(reader, 8, []),
        Inputs = StoreRows.FromJson<Dictionary<string, string>>(reader, 9, []),
        CreatedAt = times.Read(reader, 10),
        Status = Enum.Parse<DeadLetterStatus>(reader.GetString(11)),
        ResolvedAt = times.NullableTime(reader, 12),
        Resolution = StoreRows.NullableString(reader, 13),
    };
}
