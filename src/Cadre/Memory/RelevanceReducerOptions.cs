using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>How a <see cref="RelevanceReducer"/> ranks turns.</summary>
public sealed record RelevanceReducerOptions
{
    /// <summary>The weight of recency, fused as a third ranking with keyword and vector relevance (default 0.5; 0
    /// ranks by relevance alone).</summary>
    public double RecencyWeight { get; init; } = 0.5;

    /// <summary>What the turns are ranked against; by default the task (first user message) and the latest user
    /// message.</summary>
    public Func<IReadOnlyList<ChatMessage>, string>? Query { get; init; }
}
