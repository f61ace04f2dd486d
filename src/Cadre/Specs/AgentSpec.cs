namespace Cadre.Specs;

/// <summary>An agent as a spec declares it.</summary>
public sealed record AgentSpec
{
    /// <summary>The agent's name (its key in <c>agents:</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The agent's system prompt from <c>instructions:</c>, trimmed; never empty (the loader refuses an
    /// agent without one).</summary>
    public required string Instructions { get; init; }

    /// <summary>What it handles, shown to agents that may hand off to it.</summary>
    public string? Description { get; init; }

    /// <summary>Its own model spec, if it does not use the system's.</summary>
    public SpecValue? Model { get; init; }

    /// <summary>The tools it is granted: tool names or categories.</summary>
    public IReadOnlyList<SpecValue> Tools { get; init; } = [];

    /// <summary>The agents it may hand off to; every other agent when null.</summary>
    public IReadOnlyList<SpecValue>? Handoffs { get; init; }

    /// <summary>Its limit of tool-call rounds per turn.</summary>
    public int? MaxToolRounds { get; init; }

    /// <summary>What it can do (<c>capabilities: [billing]</c>): in a supervisor workflow, workers that share a
    /// capability take over each other's failed tasks.</summary>
    public IReadOnlyList<SpecValue> Capabilities { get; init; } = [];

    /// <summary>Its context budget in tokens, if not the system's.</summary>
    public int? ContextTokens { get; init; }

    /// <summary>What it recalls into its context before each model call: <c>long-term</c> (memories of the system's
    /// scope) and <c>lessons</c> (of past episodes like its task).</summary>
    public IReadOnlyList<SpecValue> Memory { get; init; } = [];

    /// <summary>Where the agent's name is written in the spec; errors about the agent point here.</summary>
    public required SpecLocation Location { get; init; }
}
