using Cadre.Tools.Chains;

namespace Cadre.Specs;

/// <summary>A tool chain as a spec declares it under <c>chains:</c>.</summary>
public sealed record ChainSpec
{
    /// <summary>The chain (its name as a tool, its inputs and steps).</summary>
    public required ToolChain Chain { get; init; }

    /// <summary>Where each step's tool is named, by step, for messages.</summary>
    public required IReadOnlyList<SpecValue> StepTools { get; init; }

    /// <summary>Where the chain's name is written in the spec; errors about the chain point here.</summary>
    public required SpecLocation Location { get; init; }
}
