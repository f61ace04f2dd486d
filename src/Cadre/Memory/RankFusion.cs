namespace Cadre.Memory;

/// <summary>
/// Reciprocal rank fusion (Cormack et al., 2009): combines ranked lists into one by adding, for each item,
/// <c>weight / (k + rank)</c> over the lists it appears in. It needs no score calibration between lists, which is why it
/// fuses BM25 (unbounded scores) with cosine similarity (bounded) well.
/// </summary>
public static class RankFusion
{
    /// <summary>The usual smoothing constant: 60.</summary>
    public const int DefaultK = 60;

    /// <summary>Fuses ranked lists by reciprocal rank; an item missing from a list gets nothing from it.</summary>
    /// <typeparam name="TKey">The item type (compared with its default equality).</typeparam>
    /// <param name="rankings">The lists, each best first.</param>
    /// <param name="weights">A weight per list (all 1 when null).</param>
    /// <param name="k">Added to every rank (at least 0): the larger, the less the first places outweigh the later
    /// ones.</param>
    /// <returns>Every item with its fused score, best first (ties keep first appearance order).</returns>
    public static IReadOnlyList<KeyValuePair<TKey, double>> Reciprocal<TKey>(
        IReadOnlyList<IReadOnlyList<TKey>> rankings,
        IReadOnlyList<double>? weights = null,
        int k = DefaultK)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (weights is not null && weights.Count != rankings.Count)
        {
            throw new ArgumentException($"{weights.Count} weights were given for {rankings.Count} rankings.", nameof(weights));
        }

        var scores = new Dictionary<TKey, (double Score, int Order)>();
        for (var list = 0; list < rankings.Count; list++)
        {
            var weight = weights?[list] ?? 1.0;
            var ranking = rankings[list];
            for (var rank = 0; rank < ranking.Count; rank++)
            {
                var add = weight / (k + rank + 1);
                scores[ranking[rank]] = scores.TryGetValue(ranking[rank], out var current)
                    ? (current.Score + add, current.Order)
                    : (add, scores.Count);
            }
        }

        return scores
            .OrderByDescending(s => s.Value.Score)
            .ThenBy(s => s.Value.Order)
            .Select(s => KeyValuePair.Create(s.Key, s.Value.Score))
            .ToList();
    }

    /// <summary>The best fused score an item can get: first in every list.</summary>
    public static double BestScore(IEnumerable<double> weights, int k = DefaultK) =>
        (weights ?? throw new ArgumentNullException(nameof(weights))).Sum() / (k + 1);
}
