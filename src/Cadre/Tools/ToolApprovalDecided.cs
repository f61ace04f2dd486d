using Cadre.Observability;

namespace Cadre.Tools;

/// <summary>A call that needed approval was approved or denied.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Agent">The name of the agent whose call it was.</param>
/// <param name="Tool">The name of the tool as the model called it.</param>
/// <param name="Approved">Whether the call may run.</param>
/// <param name="Approver">Who decided (<c>policy</c>, <c>operator</c>, <c>no approver</c>, ...).</param>
/// <param name="Reason">The approver's reason (on a denial it is also given to the model in the tool's result); null
/// when it gave none.</param>
/// <param name="Escalated">True when a denial was escalated to a person.</param>
public sealed record ToolApprovalDecided(string RunId, DateTimeOffset At, string Agent, string Tool, bool Approved, string Approver, string? Reason, bool Escalated) : RunEvent(RunId, At);
