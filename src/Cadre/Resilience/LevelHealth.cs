using Polly.CircuitBreaker;

namespace Cadre.Resilience;

/// <summary>How one level of a fallback chain stands.</summary>
/// <param name="Level">The level.</param>
/// <param name="Circuit">Its provider's circuit.</param>
/// <param name="PassedOverUntil">Until when it is passed over after a failure, if it is.</param>
/// <param name="LastError">Its last failure, if it has not answered since.</param>
public sealed record LevelHealth(ServedLevel Level, CircuitState Circuit, DateTimeOffset? PassedOverUntil, string? LastError);
