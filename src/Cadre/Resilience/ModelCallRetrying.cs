using Cadre.Observability;

namespace Cadre.Resilience;

/// <summary>A model call failed with a transient failure and will be tried again after a delay.</summary>
/// <param name="RunId">The run ("" outside a run).</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Agent">The calling agent ("" outside an agent).</param>
/// <param name="Provider">The provider (<c>openai:gpt-4o-mini</c>).</param>
/// <param name="Attempt">The attempt that failed, from 1.</param>
/// <param name="Delay">How long Cadre waits before the next attempt.</param>
/// <param name="Error">The failure in one line: the HTTP status when there is one, then the message.</param>
public sealed record ModelCallRetrying(string RunId, DateTimeOffset At, string Agent, string Provider, int Attempt, TimeSpan Delay, string Error) : RunEvent(RunId, At);
