using Cadre.Conversations;

namespace Cadre.Specs;

/// <summary>A spec's memory settings.</summary>
public sealed record MemorySpec
{
    /// <summary>The context budget in tokens for every model call (agents may override it).</summary>
    public int ContextTokens { get; init; } = ContextWindow.DefaultMaxTokens;

    /// <summary>How history is fitted into the budget: <c>sliding-window</c>, <c>summarize</c> (older turns folded
    /// into a running summary by the agent's model) or <c>relevance</c> (the turns most related to the task).</summary>
    public string Reducer { get; init; } = "sliding-window";

    /// <summary>The tokenizer encoding used for counting: <c>o200k_base</c> or <c>cl100k_base</c>.</summary>
    public string Encoding { get; init; } = "o200k_base";

    /// <summary>The memory scope (<c>tenant[/team[/agent]]</c>) of long-term memory, episodes and the blackboard
    /// (default <c>default</c>).</summary>
    public string Scope { get; init; } = "default";

    /// <summary>The share of an agent's context budget that recalled memories may take (default 0.15).</summary>
    public double RecallShare { get; init; } = 0.15;

    /// <summary>Whether the system's model extracts durable facts and preferences from every run into long-term
    /// memory (<c>write: model</c>; default off).</summary>
    public bool Write { get; init; }

    /// <summary>Whether the system's model extracts entities and facts from every run into the knowledge graph
    /// (<c>knowledge: model</c>; default off).</summary>
    public bool Knowledge { get; init; }

    /// <summary>Whether an episode is recorded after every run (<c>episodes: on</c>, the default).</summary>
    public bool Episodes { get; init; } = true;

    /// <summary>The embedder of long-term and episodic memory, named like a model (<c>local:arctic-xs</c>,
    /// <c>local:minilm</c>, <c>hashing</c>, <c>openai:text-embedding-3-small</c>, <c>ollama:nomic-embed-text</c>);
    /// null leaves the choice to the host (<c>cadre</c> uses <c>local:arctic-xs</c>, offline).</summary>
    public string? Embeddings { get; init; }

    /// <summary>Whether the system's model writes lessons for every recorded episode (<c>lessons: model</c>; default
    /// off).</summary>
    public bool Lessons { get; init; }
}
