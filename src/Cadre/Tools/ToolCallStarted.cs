using Cadre.Observability;

namespace Cadre.Tools;

/// <summary>An agent is about to call a tool.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Agent">The name of the agent making the call.</param>
/// <param name="Tool">The tool's name as the model called it (it may name no known tool).</param>
/// <param name="Arguments">The arguments as the model sent them (JSON).</param>
public sealed record ToolCallStarted(string RunId, DateTimeOffset At, string Agent, string Tool, string Arguments) : RunEvent(RunId, At);
