using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>What every memory kind does with an embedding generator: name its model and embed texts as unit-length
/// vectors.</summary>
internal static class EmbeddingText
{
    /// <summary>The generator's model id, recorded with stored embeddings.</summary>
    public static string ModelOf(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        return metadata?.DefaultModelId ?? metadata?.ProviderName ?? generator.GetType().Name;
    }

    /// <summary>Embeds texts in one call and scales each vector to unit length.</summary>
    public static async Task<float[][]> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        await EmbedAsync(generator, texts, null, cancellationToken);

    /// <summary>Embeds a search query (marked with <see cref="EmbeddingInput.ForQuery"/>).</summary>
    public static async Task<float[]> EmbedQueryAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string query, CancellationToken cancellationToken) =>
        (await EmbedAsync(generator, [query], EmbeddingInput.ForQuery(), cancellationToken))[0];

    private static async Task<float[][]> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(texts, options, cancellationToken);
        if (embeddings.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} embeddings for {texts.Count} texts.");
        }

        var vectors = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            var vector = embeddings[i].Vector.ToArray();
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            vectors[i] = vector;
        }

        return vectors;
    }

    /// <summary>Embeds one text as a document (not marked as a query) and scales it to unit length.</summary>
    public static async Task<float[]> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string text, CancellationToken cancellationToken) =>
        (await EmbedAsync(generator, [text], cancellationToken))[0];
}
