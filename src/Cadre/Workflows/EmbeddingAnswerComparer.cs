using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>Compares answers by meaning: answers whose embeddings (from any <see cref="IEmbeddingGenerator{TInput,
/// TEmbedding}"/>) have a cosine similarity of at least <see cref="Threshold"/> with a group's first answer join that
/// group.</summary>
/// <param name="generator">Embeds all the answers of one comparison in one call; the caller keeps owning it.</param>
/// <param name="threshold">The least cosine similarity for two answers to agree (default 0.9).</param>
public sealed class EmbeddingAnswerComparer(IEmbeddingGenerator<string, Embedding<float>> generator, double threshold = 0.9) : IAnswerComparer
{
    /// <summary>The least cosine similarity for two answers to agree.</summary>
    public double Threshold { get; } = threshold is > 0 and <= 1 ? threshold : throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold is a cosine similarity between 0 and 1.");

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<int>> GroupAsync(IReadOnlyList<string> answers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(answers, cancellationToken: cancellationToken);
        var leaders = new List<ReadOnlyMemory<float>>();
        var groups = new List<int>(answers.Count);
        foreach (var embedding in embeddings)
        {
            var vector = embedding.Vector;
            var group = leaders.FindIndex(leader => TensorPrimitives.CosineSimilarity(leader.Span, vector.Span) >= Threshold);
            if (group < 0)
            {
                leaders.Add(vector);
                group = leaders.Count - 1;
            }

            groups.Add(group);
        }

        return groups;
    }
}
