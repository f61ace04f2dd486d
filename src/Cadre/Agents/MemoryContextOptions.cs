using Cadre.Memory;
using Cadre.Conversations;

namespace Cadre.Agents;

/// <summary>How recalled memories are added to an agent's context.</summary>
public sealed record MemoryContextOptions
{
    /// <summary>How many memories to recall (default 5).</summary>
    public int K { get; init; } = 5;

    /// <summary>The most tokens the memories may take; <see cref="Share"/> of the agent's context window when null.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The share of the agent's context window the memories may take when <see cref="MaxTokens"/> is not set
    /// (default 0.15).</summary>
    public double Share { get; init; } = 0.15;

    /// <summary>Counts tokens; the agent's window counter (or <see cref="TokenCounter.Default"/>) when null.</summary>
    public ITokenCounter? Counter { get; init; }

    /// <summary>Conditions (metadata, creation time, importance, trusted source) a memory must meet to be recalled, on
    /// top of the scope; none by default.</summary>
    public MemoryFilter Filter { get; init; } = MemoryFilter.None;

    /// <summary>How much recency counts (see <see cref="MemoryQuery.RecencyWeight"/>; default 0.2).</summary>
    public double RecencyWeight { get; init; } = 0.2;

    /// <summary>How much importance counts (see <see cref="MemoryQuery.ImportanceWeight"/>; default 0.2).</summary>
    public double ImportanceWeight { get; init; } = 0.2;

    /// <summary>Vector matches less similar than this are not recalled (default 0.15: with the local embedder, texts
    /// that share nothing score near 0).</summary>
    public double MinSimilarity { get; init; } = 0.15;

    /// <summary>What to recall for; by default the task (the first user message) and the latest user message.</summary>
    public Func<AgentContextRequest, string>? Query { get; init; }
}
