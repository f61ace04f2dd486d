namespace Cadre.Memory.Episodes;

/// <summary>How episodic memory ranks.</summary>
public sealed record EpisodicMemoryOptions
{
    /// <summary>How much recency adds to similarity (default 0.3; 0 ignores it). Recency is 1 for an episode recorded
    /// now and halves every <see cref="RecencyHalfLife"/>.</summary>
    public double RecencyWeight { get; init; } = 0.3;

    /// <summary>How fast recency fades (default 30 days).</summary>
    public TimeSpan RecencyHalfLife { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Episodes whose embedding is less similar than this (cosine) to the query count only if they share
    /// keywords with it (default 0.15: with the local embedder, unrelated texts score near 0).</summary>
    public float MinSimilarity { get; init; } = 0.15f;

    /// <summary>How many of the most recent episodes are ranked (default 2,000).</summary>
    public int Window { get; init; } = 2_000;
}
