using System.Data.Common;
using Cadre.Tools;

namespace Cadre.Storage;

/// <summary>The <c>approvals</c> table's columns, the same in both databases.</summary>
internal static class ApprovalRows
{
    public const string Columns = "id, call_key, run_id, step, agent, tool, arguments, requested_at, status, decided_by, reason, decided_at";

    /// <summary>The values a new pending request is inserted with, named <c>id, key, run, step, agent, tool,
    /// arguments, at, status</c> (without the dialect's prefix).</summary>
    public static (string Name, object? Value)[] Values(ApprovalRequest request, IStoreTimes times) =>
    [
        ("id", request.Id), ("key", request.Key), ("run", request.RunId), ("step", request.Step), ("agent", request.Agent),
        ("tool", request.Tool), ("arguments", request.Arguments), ("at", times.Write(request.RequestedAt)), ("status", nameof(ApprovalStatus.Pending)),
    ];

    public static ApprovalRequest Read(DbDataReader reader, IStoreTimes times) => new()
    {
        Id = reader.GetString(0),
        Key = reader.GetString(1),
        RunId = reader.GetString(2),
        Step = reader.GetInt32(3),
        Agent = reader.GetString(4),
        Tool = reader.GetString(5),
        Arguments = reader.GetString(6),
        RequestedAt = times.Read(reader, 7),
        Status = Enum.Parse<ApprovalStatus>(reader.GetString(8)),
        DecidedBy = StoreRows.NullableString(reader, 9),
        Reason = StoreRows.NullableString(reader, 10),
        DecidedAt = times.NullableTime(reader, 11),
    };
}
