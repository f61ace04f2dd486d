namespace Cadre.Specs;

/// <summary>How a spec's agents work together.</summary>
public sealed record WorkflowSpec
{
    /// <summary>The kind: <c>handoff</c>, <c>sequential</c>, <c>supervisor</c> or <c>group-chat</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The first agent of a handoff workflow.</summary>
    public SpecValue? Start { get; init; }

    /// <summary>The agents of a sequential workflow, in order (all agents in declaration order when empty).</summary>
    public IReadOnlyList<SpecValue> Steps { get; init; } = [];

    /// <summary>The step limit of a run.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>The token budget of a run (<c>max_tokens</c>); at the cap the run stops cleanly.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>The cost budget of a run (<c>max_cost</c>), in the currency of <see cref="Price"/>.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>The wall-time budget of a run (<c>max_time: 5m</c>).</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>What tokens cost per million (<c>price: { input: 0.15, output: 0.60 }</c>), for the cost budget.</summary>
    public Workflows.TokenPrice? Price { get; init; }

    /// <summary>The supervisor of a <c>supervisor</c> workflow.</summary>
    public SpecValue? Supervisor { get; init; }

    /// <summary>The workers of a <c>supervisor</c> workflow (every other agent when empty).</summary>
    public IReadOnlyList<SpecValue> Workers { get; init; } = [];

    /// <summary>How a <c>group-chat</c> picks its next speaker: <c>round-robin</c> (default) or <c>model</c> (the
    /// system's model decides).</summary>
    public string? Speaker { get; init; }

    /// <summary>The turn limit of a <c>group-chat</c>.</summary>
    public int? MaxTurns { get; init; }

    /// <summary>The longest any agent call may take in a <c>supervisor</c> workflow (<c>agent_timeout: 2m</c>).</summary>
    public TimeSpan? AgentTimeout { get; init; }

    /// <summary>The run budget the spec declares, if any.</summary>
    public Workflows.RunBudget? Budget => MaxTokens is null && MaxCost is null && MaxTime is null
        ? null
        : new Workflows.RunBudget { MaxTokens = MaxTokens, MaxCost = MaxCost, MaxWallTime = MaxTime, Price = Price };

    /// <summary>Where the <c>workflow:</c> mapping starts in the spec; errors about the workflow point here.</summary>
    public required SpecLocation Location { get; init; }
}
