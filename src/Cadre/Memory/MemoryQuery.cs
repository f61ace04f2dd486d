namespace Cadre.Memory;

/// <summary>A recall request: what to look for, where, how many, and how to weigh recency and importance against
/// relevance.</summary>
public sealed record MemoryQuery
{
    /// <summary>What to recall (a question, the task, the latest message).</summary>
    public required string Text { get; init; }

    /// <summary>The reader's scope; only memories it <see cref="MemoryScope.Sees">sees</see> are recalled.</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>How many memories to return (default 5).</summary>
    public int K { get; init; } = 5;

    /// <summary>Metadata, creation time, importance and trust the memories must match (default: none).</summary>
    public MemoryFilter Filter { get; init; } = MemoryFilter.None;

    /// <summary>Which searches to use (default both).</summary>
    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;

    /// <summary>The weight of the keyword list in the fusion (default 1).</summary>
    public double KeywordWeight { get; init; } = 1;

    /// <summary>The weight of the vector list in the fusion (default 1).</summary>
    public double VectorWeight { get; init; } = 1;

    /// <summary>How the keyword and vector candidates are fused (default <see cref="FusionMethod.Calibrated"/>).</summary>
    public FusionMethod Fusion { get; init; } = FusionMethod.Calibrated;

    /// <summary>With calibrated fusion, the share of its best neighbouring turn's score that a conversation turn gets
    /// (see <see cref="ConversationTurns"/>; default 0.5, 0 to ignore neighbours).</summary>
    public double NeighbourWeight { get; init; } = 0.5;

    /// <summary>How much recency adds to the score (0 to ignore it, the default; 1 weighs it like relevance). Recency
    /// is 1 for a memory updated now and halves every <see cref="RecencyHalfLife"/>.</summary>
    public double RecencyWeight { get; init; }

    /// <summary>How fast recency fades (default 30 days).</summary>
    public TimeSpan RecencyHalfLife { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How much importance (0..1) adds to the score (0 to ignore it, the default).</summary>
    public double ImportanceWeight { get; init; }

    /// <summary>Memories whose relevance (0..1: 1 is first in every list) is below this are left out (default 0).</summary>
    public double MinRelevance { get; init; }

    /// <summary>Vector candidates less similar than this (cosine, -1..1) are left out before fusion (default: none
    /// are). Useful when memories go into a model's context: a vector search always finds something.</summary>
    public double MinSimilarity { get; init; } = -1;

    /// <summary>How many candidates each search returns before fusion; <c>max(4·K, 20)</c> when null.</summary>
    public int? Candidates { get; init; }

    /// <summary>The query's embedding, when the caller has it already; computed from <see cref="Text"/> otherwise.</summary>
    public ReadOnlyMemory<float> Vector { get; init; }
}
