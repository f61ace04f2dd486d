using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>Tokens used by model calls: what was sent (input) and what came back (output).</summary>
/// <param name="InputTokens">Tokens sent to the model.</param>
/// <param name="OutputTokens">Tokens the model produced.</param>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens)
{
    /// <summary>Zero input and zero output tokens: the start of a sum, and what a call with no reported usage
    /// counts.</summary>
    public static TokenUsage Zero => default;

    /// <summary>Input and output together.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Adds two usages, input to input and output to output.</summary>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right) =>
        new(left.InputTokens + right.InputTokens, left.OutputTokens + right.OutputTokens);

    /// <summary>Adds another usage to this one.</summary>
    /// <param name="other">The usage to add.</param>
    /// <returns>A new usage; this one is unchanged.</returns>
    public TokenUsage Add(TokenUsage other) => this + other;

    /// <summary>Reads a Microsoft.Extensions.AI <see cref="UsageDetails"/>; missing counts are zero.</summary>
    /// <param name="usage">The usage reported by a chat client, if any.</param>
    /// <returns>Its input and output counts; <see cref="Zero"/> when <paramref name="usage"/> is null.</returns>
    public static TokenUsage From(UsageDetails? usage) =>
        usage is null ? Zero : new(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0);

    /// <inheritdoc />
    public override string ToString() => $"{InputTokens} in / {OutputTokens} out";
}
