using System.Numerics.Tensors;

namespace Cadre.Memory;

/// <summary>
/// Ranks a small set of texts held in memory (episodes, the turns of a conversation) against a query the way long-term
/// memory recalls: BM25 ∪ cosine similarity of embeddings, fused by reciprocal rank.
/// </summary>
internal static class HybridRanker
{
    /// <summary>Ranks documents; returns every document that a list ranked, best first, with its relevance scaled to
    /// 0..1 (1 = first in every list). <paramref name="extra"/> is a further ranking (recency, say) fused with
    /// <paramref name="extraWeight"/>; embeddings less similar than <paramref name="minSimilarity"/> are not ranked.</summary>
    public static List<(int Index, double Relevance)> Rank(
        string query,
        ReadOnlyMemory<float> queryVector,
        IReadOnlyList<string> texts,
        IReadOnlyList<ReadOnlyMemory<float>> vectors,
        IReadOnlyList<int>? extra = null,
        double extraWeight = 0,
        float minSimilarity = 0)
    {
        var keyword = new KeywordIndex();
        for (var i = 0; i < texts.Count; i++)
        {
            keyword.Upsert(i, texts[i]);
        }

        var byKeyword = keyword.Search(query, texts.Count).Select(h => (int)h.Document).ToList();
        var byVector = new List<int>();
        if (!queryVector.IsEmpty)
        {
            byVector = Enumerable.Range(0, vectors.Count)
                .Where(i => vectors[i].Length == queryVector.Length)
                .Select(i => (Index: i, Similarity: TensorPrimitives.CosineSimilarity(queryVector.Span, vectors[i].Span)))
                .Where(x => x.Similarity > minSimilarity && !float.IsNaN(x.Similarity))
                .OrderByDescending(x => x.Similarity)
                .Select(x => x.Index)
                .ToList();
        }

        double[] weights = [1.0, 1.0, extra is null ? 0 : extraWeight];
        var best = RankFusion.BestScore(weights);
        return RankFusion.Reciprocal<int>([byKeyword, byVector, extra ?? []], weights)
            .Select(f => (f.Key, f.Value / best))
            .ToList();
    }
}
