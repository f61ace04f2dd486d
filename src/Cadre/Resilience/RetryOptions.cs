namespace Cadre.Resilience;

/// <summary>How a model call is retried after a transient failure: exponential backoff with jitter, or the wait the
/// service asked for (Retry-After).</summary>
public sealed record RetryOptions
{
    /// <summary>Retries after the first attempt (default 3; 0 turns retrying off).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first backoff delay, doubled on every retry (default 1 s).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay (default 30 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Spread delays randomly so many clients do not retry in step (default true).</summary>
    public bool UseJitter { get; init; } = true;

    /// <summary>Where the jitter's random numbers (from 0 to 1) come from; Polly's own when null. A seeded source
    /// (<c>--chaos ... --seed n</c>) makes the backoff delays, and so a whole drill, repeat exactly.</summary>
    public Func<double>? Randomizer { get; init; }

    /// <summary>The longest Retry-After Cadre waits for (default 60 s); a service that asks for longer is failed over
    /// at once instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>When the provider's circuit is open, wait until it lets a trial call through (if that is within
    /// <see cref="MaxRetryAfter"/>) instead of failing at once (default false: fail, so a fallback chain moves on).
    /// A model with no fallback uses it.</summary>
    public bool WaitOutOpenCircuit { get; init; }

    /// <summary>Retry a reply that was empty or malformed (default true): models answer differently when asked
    /// again.</summary>
    public bool RetryInvalidResponses { get; init; } = true;
}
