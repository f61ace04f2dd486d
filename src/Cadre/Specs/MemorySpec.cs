using Cadre.Conversations;

namespace Cadre.Specs;

/// <summary>A spec's memory settings.</summary>
public sealed record MemorySpec
{
    /// <summary>The context budget in tokens for every model call (agents may override it).</summary>
    public int ContextTokens { get; init; } = ContextWindow.DefaultMaxTokens;

    /// <summary>How history is fitted into the budget: <c>sliding-window</c>.</summary>
    public string Reducer { get; init; } = "sliding-window";

    /// <summary>The tokenizer encoding used for counting: <c>o200k_base</c> or <c>cl100k_base</c>.</summary>
    public string Encoding { get; init; } = "o200k_base";
}
