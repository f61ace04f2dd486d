using System.Text.Json.Nodes;

namespace Cadre.Tools.Chains;

/// <summary>What a running chain has: its input, each finished step's result, and the latest result.</summary>
internal sealed class ChainState(JsonNode? input)
{
    public JsonNode? Input { get; } = input;

    public Dictionary<string, JsonNode?> Results { get; } = new(StringComparer.Ordinal);

    public JsonNode? Previous { get; set; } = input;
}
