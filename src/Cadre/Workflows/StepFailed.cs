using Cadre.Observability;

namespace Cadre.Workflows;

/// <summary>A step failed and the workflow went on (it reassigned the task, or escalated).</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Step">The failed step's index, from 1.</param>
/// <param name="Agent">The agent that failed.</param>
/// <param name="Error">The failure in one line (the HTTP status when there is one, then the message and the
/// exception's type).</param>
public sealed record StepFailed(string RunId, DateTimeOffset At, int Step, string Agent, string Error) : RunEvent(RunId, At);
