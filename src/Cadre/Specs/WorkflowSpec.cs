namespace Cadre.Specs;

/// <summary>How a spec's agents work together.</summary>
public sealed record WorkflowSpec
{
    /// <summary>The kind: <c>handoff</c> or <c>sequential</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The first agent of a handoff workflow.</summary>
    public SpecValue? Start { get; init; }

    /// <summary>The agents of a sequential workflow, in order (all agents in declaration order when empty).</summary>
    public IReadOnlyList<SpecValue> Steps { get; init; } = [];

    /// <summary>The step limit of a run.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Where it is declared.</summary>
    public required SpecLocation Location { get; init; }
}
