using Microsoft.Extensions.AI;

namespace Cadre.Resilience;

/// <summary>The degradation level that answered a model call: its name (<c>full</c>, <c>reduced</c>,
/// <c>minimal</c>, <c>recorded</c>), its rank in the chain (0 is the best) and the model behind it.</summary>
/// <param name="Name">The level's name as the chain was given it (<c>full</c>, <c>reduced</c>, ...).</param>
/// <param name="Rank">Its position in the chain, from 0 (the best level).</param>
/// <param name="Model">The model that served (<c>openai:gpt-4o-mini</c>).</param>
public sealed record ServedLevel(string Name, int Rank, string Model)
{
    /// <summary>The <see cref="ChatResponse.AdditionalProperties"/> key under which a chain marks its responses.</summary>
    public const string PropertyName = "cadre.level";

    /// <summary>True when a worse level than the chain's best served.</summary>
    public bool IsDegraded => Rank > 0;

    /// <summary>The level that served a response, if a fallback chain marked it.</summary>
    /// <returns>The level, or null.</returns>
    public static ServedLevel? Of(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true ? value as ServedLevel : null;
    }

    /// <summary>The worse of two levels (the higher rank); either may be null.</summary>
    public static ServedLevel? Worse(ServedLevel? left, ServedLevel? right) =>
        left is null ? right : right is null ? left : right.Rank > left.Rank ? right : left;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Model})";
}
