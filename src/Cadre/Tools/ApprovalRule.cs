namespace Cadre.Tools;

/// <summary>A rule of an <see cref="ApprovalPolicy"/>: when it matches a call, it decides. Every condition left null
/// matches everything.</summary>
public sealed record ApprovalRule
{
    /// <summary>The tool's name (<c>*</c> and <c>?</c> wildcards allowed).</summary>
    public string? Tool { get; init; }

    /// <summary>The tool's category.</summary>
    public string? Category { get; init; }

    /// <summary>The calling agent (wildcards allowed).</summary>
    public string? Agent { get; init; }

    /// <summary>Arguments that must match: argument name → pattern for its text (wildcards allowed; case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> When { get; init; } = new Dictionary<string, string>();

    /// <summary>The decision.</summary>
    public required ApprovalDecision Decision { get; init; }

    /// <summary>Why, shown to the model and recorded in the audit log.</summary>
    public string? Reason { get; init; }

    /// <summary>Where the rule is written (file:line), for messages.</summary>
    public string? Source { get; init; }
}
