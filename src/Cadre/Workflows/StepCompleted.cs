using Cadre.Observability;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>A step finished and was recorded.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Step">The step as committed to the run store: its agent, output, tool calls, tokens and time.</param>
public sealed record StepCompleted(string RunId, DateTimeOffset At, RunStep Step) : RunEvent(RunId, At);
