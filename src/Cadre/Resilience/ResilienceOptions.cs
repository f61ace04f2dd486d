using Cadre.Observability;

namespace Cadre.Resilience;

/// <summary>How a <see cref="ResilientChatClient"/> protects calls to one provider: a timeout per attempt, retries of
/// transient failures, and the provider's circuit breaker.</summary>
public sealed record ResilienceOptions
{
    /// <summary>The provider's name (<c>openai:gpt-4o-mini</c>): it names the circuit breaker, which every client with
    /// the same name in the same <see cref="Circuits"/> shares, and it appears in events and errors.</summary>
    public string Provider { get; init; } = "model";

    /// <summary>The longest one attempt may take (default 120 s; null for none). For streaming, the time to the first
    /// update.</summary>
    public TimeSpan? AttemptTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How failed attempts are retried.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>When the provider's circuit opens.</summary>
    public BreakerOptions Breaker { get; init; } = new();

    /// <summary>The circuits by provider; clients that should share a provider's circuit share this instance. A new
    /// set when null.</summary>
    public ProviderCircuits? Circuits { get; init; }

    /// <summary>The clock for timeouts, backoff and the breaker.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Receives retry and circuit events that happen outside a workflow run (inside one, the run's observer
    /// receives them).</summary>
    public IRunObserver? Observer { get; init; }
}
