namespace Cadre.Tools;

/// <summary>A rule of an <see cref="ApprovalPolicy"/>: when it matches a call, it decides. Every condition left null
/// matches everything.</summary>
public sealed record ApprovalRule
{
    /// <summary>The tool's name (<c>*</c> and <c>?</c> wildcards allowed).</summary>
    public string? Tool { get; init; }

    /// <summary>The tool's category, matched exactly (case-sensitive, no wildcards); null matches any category.</summary>
    public string? Category { get; init; }

    /// <summary>The calling agent (wildcards allowed).</summary>
    public string? Agent { get; init; }

    /// <summary>Arguments that must match: an argument's name or a JSON path into the arguments
    /// (<c>recipients[*].email</c>) → a pattern. Every value the path finds must match: each element of a list and each
    /// address of an email-like text (split at commas, semicolons and white space); a path that finds nothing, a null
    /// or an object does not match. <c>*</c> and <c>?</c> stay within one element (they never match a comma,
    /// semicolon, slash, backslash, white space or control character); <c>**</c> matches anything. Case is ignored.</summary>
    public IReadOnlyDictionary<string, string> When { get; init; } = new Dictionary<string, string>();

    /// <summary>What the rule decides for the calls it matches.</summary>
    public required ApprovalDecision Decision { get; init; }

    /// <summary>Why, shown to the model and recorded in the audit log.</summary>
    public string? Reason { get; init; }

    /// <summary>Where the rule is written (file:line), for messages.</summary>
    public string? Source { get; init; }
}
