using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cadre.Memory.Shared;

/// <summary>A blackboard key as it stands: its value (JSON), its version (1 for the first write, +1 for each) and who
/// last wrote it, when.</summary>
/// <param name="Board">The board (a scope path).</param>
/// <param name="Namespace">The namespace the key is in.</param>
/// <param name="Key">The key, unique within its namespace and board.</param>
/// <param name="Json">The value as JSON text.</param>
/// <param name="Version">How many times the key was written: 1 after the first write; what a compare-and-set
/// write names.</param>
/// <param name="UpdatedAt">When it was last written.</param>
/// <param name="UpdatedBy">Who last wrote it.</param>
public sealed record BlackboardEntry(string Board, string Namespace, string Key, string Json, long Version, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    /// <summary>The value as a fresh JSON node (null for JSON <c>null</c>).</summary>
    public JsonNode? Value => JsonNode.Parse(Json);

    /// <summary>The value as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="options">Serializer options; web defaults when null.</param>
    public T? Get<T>(JsonSerializerOptions? options = null) => JsonSerializer.Deserialize<T>(Json, options ?? JsonSerializerOptions.Web);
}
