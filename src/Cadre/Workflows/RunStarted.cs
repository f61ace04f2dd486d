using Cadre.Observability;

namespace Cadre.Workflows;

/// <summary>A new run was recorded and is about to take its first step (resuming a run sends no new one).</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Workflow">The workflow kind (sequential, handoff, ...).</param>
/// <param name="Task">The task the run was given.</param>
public sealed record RunStarted(string RunId, DateTimeOffset At, string Workflow, string Task) : RunEvent(RunId, At);
