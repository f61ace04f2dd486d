using Cadre.Observability;

namespace Cadre.Workflows;

/// <summary>A supervisor gave a failed worker's task to another capable worker.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="From">The worker that failed.</param>
/// <param name="To">The worker that takes the task.</param>
/// <param name="Reason">Why the first worker failed.</param>
public sealed record TaskReassigned(string RunId, DateTimeOffset At, string From, string To, string Reason) : RunEvent(RunId, At);
