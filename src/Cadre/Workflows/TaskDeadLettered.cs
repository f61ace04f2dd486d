using Cadre.Observability;
using Cadre.Resilience;

namespace Cadre.Workflows;

/// <summary>A run gave up after exhausting retries and fallbacks; its task is in the dead-letter queue.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Letter">The letter as stored: the failed step, its error and attempts, and the inputs needed to
/// retry it.</param>
public sealed record TaskDeadLettered(string RunId, DateTimeOffset At, DeadLetter Letter) : RunEvent(RunId, At);
