using Cadre.Conversations;

namespace Cadre.Workflows;

/// <summary>What tokens cost, per million, for estimating a run's cost against its budget.</summary>
/// <param name="InputPerMillion">The price of a million input tokens.</param>
/// <param name="OutputPerMillion">The price of a million output tokens.</param>
public sealed record TokenPrice(decimal InputPerMillion, decimal OutputPerMillion)
{
    /// <summary>The cost of some usage.</summary>
    public decimal CostOf(TokenUsage usage) =>
        (usage.InputTokens * InputPerMillion + usage.OutputTokens * OutputPerMillion) / 1_000_000m;
}
