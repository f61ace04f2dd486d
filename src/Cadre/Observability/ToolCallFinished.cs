namespace Cadre.Observability;

/// <summary>A tool call finished, successfully or not.</summary>
/// <param name="RunId">The run.</param>
/// <param name="At">When.</param>
/// <param name="Agent">The calling agent.</param>
/// <param name="Call">What happened.</param>
public sealed record ToolCallFinished(string RunId, DateTimeOffset At, string Agent, Cadre.Agents.ToolCallRecord Call) : RunEvent(RunId, At);
