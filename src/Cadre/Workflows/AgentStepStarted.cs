using Cadre.Observability;

namespace Cadre.Workflows;

/// <summary>An agent began a step of the run.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Step">The step's index, from 1.</param>
/// <param name="Agent">The agent that works in this step.</param>
public sealed record AgentStepStarted(string RunId, DateTimeOffset At, int Step, string Agent) : RunEvent(RunId, At);
