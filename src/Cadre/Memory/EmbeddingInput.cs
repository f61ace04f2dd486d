using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>
/// Tells an embedder whether it embeds a search query or a text to be found. Retrieval-tuned models embed the two
/// differently (arctic-embed puts an instruction before queries); recall marks its query embeddings with
/// <see cref="ForQuery"/>, and embedders that make no difference ignore the mark.
/// </summary>
public static class EmbeddingInput
{
    /// <summary>The key in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> that carries the kind of input.</summary>
    public const string Property = "cadre.input";

    /// <summary>The value of <see cref="Property"/> for search queries.</summary>
    public const string Query = "query";

    /// <summary>Options that mark the inputs as search queries (a new instance: callers may change it).</summary>
    public static EmbeddingGenerationOptions ForQuery() => new() { AdditionalProperties = new() { [Property] = Query } };

    /// <summary>Whether options mark the inputs as search queries.</summary>
    /// <param name="options">The options a generator was called with.</param>
    public static bool IsQuery(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Property, out var value) == true && value is string s && s == Query;
}
