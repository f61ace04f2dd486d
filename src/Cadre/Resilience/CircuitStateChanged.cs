using Cadre.Observability;
using Polly.CircuitBreaker;

namespace Cadre.Resilience;

/// <summary>A provider's circuit breaker changed state: open (calls stop), half-open (one trial call), closed
/// (recovered).</summary>
/// <param name="RunId">The run on whose call it changed ("" outside a run).</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Provider">The provider's name that names the circuit (<c>openai:gpt-4o-mini</c>); every client with
/// that name shares the circuit.</param>
/// <param name="State">The state the circuit is in now.</param>
/// <param name="Reason">Why (the failure that opened it, "recovered", ...).</param>
public sealed record CircuitStateChanged(string RunId, DateTimeOffset At, string Provider, CircuitState State, string Reason) : RunEvent(RunId, At);
