namespace Cadre.Tools.Chains;

/// <summary>How a chain went: every step that ran, and the failed one if it stopped.</summary>
/// <param name="Steps">The steps that ran, in order.</param>
/// <param name="Output">The last step's result (when the chain finished).</param>
public sealed record ToolChainResult(IReadOnlyList<ChainStepResult> Steps, string? Output)
{
    /// <summary>The step that failed and stopped the chain, if one did.</summary>
    public ChainStepResult? Failed => Steps.Count > 0 && Steps[^1].Status is not (ToolCallStatus.Succeeded or ToolCallStatus.Replayed) ? Steps[^1] : null;

    /// <summary>True when every step succeeded.</summary>
    public bool Succeeded => Failed is null;
}
