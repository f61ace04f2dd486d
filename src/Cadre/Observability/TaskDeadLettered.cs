using Cadre.Resilience;

namespace Cadre.Observability;

/// <summary>A run gave up after exhausting retries and fallbacks; its task is in the dead-letter queue.</summary>
/// <param name="RunId">The run.</param>
/// <param name="At">When.</param>
/// <param name="Letter">The dead letter.</param>
public sealed record TaskDeadLettered(string RunId, DateTimeOffset At, DeadLetter Letter) : RunEvent(RunId, At);
