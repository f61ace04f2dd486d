using Cadre.Observability;

namespace Cadre.Tools;

/// <summary>A tool call failed before it reached the tool (an unreachable service) and will be tried again.</summary>
/// <param name="RunId">The run ("" outside a run).</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Agent">The calling agent ("" outside an agent).</param>
/// <param name="Tool">The name of the tool being retried.</param>
/// <param name="Attempt">The attempt that failed, from 1.</param>
/// <param name="Delay">How long Cadre waits before the next attempt.</param>
/// <param name="Error">The failure in one line: the HTTP status when there is one, then the message.</param>
public sealed record ToolCallRetrying(string RunId, DateTimeOffset At, string Agent, string Tool, int Attempt, TimeSpan Delay, string Error) : RunEvent(RunId, At);
