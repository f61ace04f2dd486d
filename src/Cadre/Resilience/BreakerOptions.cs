namespace Cadre.Resilience;

/// <summary>When a provider's circuit opens (stops calls for a while after too many failures) and how long it stays
/// open. One circuit per provider, shared by every client that names the same provider.</summary>
public sealed record BreakerOptions
{
    /// <summary>Whether the circuit breaker is on (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The share of failed calls in the sampling window that opens the circuit (default 0.5).</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>The fewest calls in the window before the ratio counts (default 8, so a few unlucky calls do not
    /// open it).</summary>
    public int MinimumThroughput { get; init; } = 8;

    /// <summary>The window over which failures are counted (default 60 s).</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the circuit stays open before one trial call is let through (default 30 s).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);
}
