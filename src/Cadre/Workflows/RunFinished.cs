using Cadre.Observability;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>A run ended (done, failed, cancelled, ...).</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Status">The run's status as recorded: completed, failed, cancelled, stopped at a budget, or
/// escalated.</param>
/// <param name="Answer">The final answer, if any.</param>
/// <param name="Error">Why it failed, if it did.</param>
public sealed record RunFinished(string RunId, DateTimeOffset At, RunStatus Status, string? Answer, string? Error) : RunEvent(RunId, At);
