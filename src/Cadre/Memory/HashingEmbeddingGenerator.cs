using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>
/// A local embedder that needs no model and no download: it hashes a text's words (stemmed), word pairs and the
/// character 3- and 4-grams of each word into a fixed number of dimensions (384 by default), with a random sign per
/// feature, and scales the vector to unit length. It is deterministic and fast (microseconds per sentence).
/// </summary>
/// <remarks>
/// <para>What it can match: texts that share words, word forms (<c>prefers</c>/<c>preferred</c>), parts of words and
/// misspellings (<c>phone</c>/<c>telephone</c>/<c>phnoe</c> share character n-grams), ids and numbers
/// (<c>INV-1001</c>), and word order to a small degree (word pairs).</para>
/// <para>What it cannot match: meaning without shared letters — synonyms (<c>call</c> and <c>ring</c>), paraphrases,
/// other languages, negation (<c>likes</c> and <c>does not like</c> look alike). Configure a real embedding model
/// (OpenAI, Ollama, any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>) when recall must follow meaning.</para>
/// </remarks>
public sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The default number of dimensions.</summary>
    public const int DefaultDimensions = 384;

    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates an embedder whose vectors have <paramref name="dimensions"/> entries; embeddings of different
    /// sizes carry different <see cref="ModelId"/>s and are never compared.</summary>
    /// <param name="dimensions">The vector length (at least 64).</param>
    public HashingEmbeddingGenerator(int dimensions = DefaultDimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 64);
        Dimensions = dimensions;
        ModelId = $"cadre-hashing-v1/{dimensions}";
        _metadata = new EmbeddingGeneratorMetadata("cadre-hashing", null, ModelId, dimensions);
    }

    /// <summary>The shared instance with <see cref="DefaultDimensions"/>.</summary>
    public static HashingEmbeddingGenerator Default { get; } = new();

    /// <summary>How many entries every vector has (at least 64; <see cref="DefaultDimensions"/> by default).</summary>
    public int Dimensions { get; }

    /// <summary>The model id recorded with stored embeddings (<c>cadre-hashing-v1/384</c>).</summary>
    public string ModelId { get; }

    /// <summary>Embeds one text synchronously; the same text always gives the same vector.</summary>
    /// <returns>A unit-length vector (all zeros for a text without words).</returns>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[Dimensions];
        var words = TextTerms.Words(text);
        string? previous = null;
        foreach (var word in words)
        {
            if (TextTerms.IsStopWord(word))
            {
                Add(vector, 'w', word, null, 0.25f);
                previous = null;
                continue;
            }

            var stem = TextTerms.Stem(word);
            Add(vector, 'w', stem, null, 1f);
            if (previous is not null)
            {
                Add(vector, 'b', previous, stem, 0.5f);
            }

            previous = stem;
            AddCharacterGrams(vector, word);
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            embeddings.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId });
        }

        return Task.FromResult(embeddings);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void AddCharacterGrams(float[] vector, string word)
    {
        var padded = "<" + word + ">";
        var count = Math.Max(0, padded.Length - 2) + Math.Max(0, padded.Length - 3);
        if (count == 0)
        {
            return;
        }

        // The n-grams of one word share a fixed weight, so long words do not drown the word itself.
        var weight = MathF.Sqrt(0.5f / count);
        for (var n = 3; n <= 4; n++)
        {
            for (var i = 0; i + n <= padded.Length; i++)
            {
                Add(vector, 'c', padded.AsSpan(i, n), default, weight);
            }
        }
    }

    private void Add(float[] vector, char kind, ReadOnlySpan<char> first, ReadOnlySpan<char> second, float weight)
    {
        var hash = FnvOffset;
        hash = (hash ^ kind) * FnvPrime;
        foreach (var c in first)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        if (!second.IsEmpty)
        {
            hash = (hash ^ ' ') * FnvPrime;
            foreach (var c in second)
            {
                hash = (hash ^ c) * FnvPrime;
            }
        }

        // Mix the bits: FNV's low bits are weak for short inputs.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        var index = (int)(hash % (ulong)Dimensions);
        vector[index] += (hash >> 63) == 0 ? weight : -weight;
    }
}
