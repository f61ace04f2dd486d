using Polly.CircuitBreaker;

namespace Cadre.Resilience;

/// <summary>How one level of a fallback chain stands.</summary>
/// <param name="Level">The level's name, rank in the chain (0 the best) and model.</param>
/// <param name="Circuit">The state of the circuit breaker of the level's provider, shared with every client of that
/// provider; an open circuit is passed over.</param>
/// <param name="PassedOverUntil">Until when it is passed over after a failure, if it is.</param>
/// <param name="LastError">Its last failure, if it has not answered since.</param>
public sealed record LevelHealth(ServedLevel Level, CircuitState Circuit, DateTimeOffset? PassedOverUntil, string? LastError);
