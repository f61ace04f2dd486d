using System.Globalization;
using Cadre.Conversations;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>
/// Caps on what a run may spend: tokens, cost (tokens at <see cref="Price"/>), steps and wall time. Before each step
/// the run checks its spending; at a cap it stops cleanly — status <see cref="RunStatus.Stopped"/>, the reason
/// recorded, its last checkpoint intact — and can be resumed with a larger budget. Wall time is counted from when
/// the run (or its resumption) starts; a step still working when it runs out is abandoned and done again on
/// resume.
/// </summary>
public sealed record RunBudget
{
    /// <summary>The most tokens (input and output) the run may use.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>The most the run may cost, in the currency of <see cref="Price"/>.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>The most steps the run may take.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>The longest the run may take.</summary>
    public TimeSpan? MaxWallTime { get; init; }

    /// <summary>What tokens cost; needed for <see cref="MaxCost"/>.</summary>
    public TokenPrice? Price { get; init; }

    /// <summary>Throws when the budget cannot be applied.</summary>
    /// <exception cref="ArgumentException">A cap is not positive, or a cost cap has no price.</exception>
    public void Validate()
    {
        if (MaxTokens <= 0 || MaxCost <= 0 || MaxSteps <= 0 || MaxWallTime <= TimeSpan.Zero)
        {
            throw new ArgumentException("Budget caps must be positive.");
        }

        if (MaxCost is not null && Price is null)
        {
            throw new ArgumentException("A cost cap needs a token price (Price) to estimate the cost.");
        }
    }

    /// <summary>Why the run may not take another step, or null when it may.</summary>
    /// <param name="usage">Tokens used so far.</param>
    /// <param name="steps">Steps completed so far.</param>
    /// <returns>The reason, or null.</returns>
    public string? Exceeded(TokenUsage usage, int steps)
    {
        if (MaxSteps is int maxSteps && steps >= maxSteps)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the run reached its budget of {maxSteps} steps");
        }

        if (MaxTokens is long maxTokens && usage.TotalTokens >= maxTokens)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the run reached its token budget ({usage.TotalTokens:N0} of {maxTokens:N0} tokens)");
        }

        if (MaxCost is decimal maxCost && Price is { } price && price.CostOf(usage) is var cost && cost >= maxCost)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the run reached its cost budget ({cost:0.####} of {maxCost:0.####})");
        }

        return null;
    }
}
