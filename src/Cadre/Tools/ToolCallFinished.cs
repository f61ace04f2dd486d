using Cadre.Observability;

namespace Cadre.Tools;

/// <summary>A tool call finished, successfully or not.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Agent">The name of the agent that made the call.</param>
/// <param name="Call">The call's arguments, status (succeeded, replayed, denied, failed, ...), result text and
/// duration.</param>
public sealed record ToolCallFinished(string RunId, DateTimeOffset At, string Agent, ToolCallRecord Call) : RunEvent(RunId, At);
