namespace Cadre.Memory;

/// <summary>
/// Fuses scored candidate lists on their scores, calibrated per list: each list's scores are rescaled to 0..1 over its
/// own candidates (min–max: its best candidate 1, its last 0) and the lists are added with their weights, divided by
/// the weights' sum. Unlike reciprocal rank fusion (<see cref="RankFusion"/>) it keeps how far apart candidates are:
/// a list whose best match stands out decides, and a list whose candidates are all alike (a weak retriever on this
/// query) moves little, so the fusion is not dragged below its better half.
/// </summary>
public static class ScoreFusion
{
    /// <summary>Fuses scored lists; a list whose candidates all score alike gives each of them its full weight.</summary>
    /// <typeparam name="TKey">The item type (compared with its default equality).</typeparam>
    /// <param name="lists">The lists: items with their scores (higher is better), in any order.</param>
    /// <param name="weights">A weight per list (all 1 when null).</param>
    /// <returns>Every item with its fused score in 0..1, best first (ties keep first appearance order).</returns>
    public static IReadOnlyList<KeyValuePair<TKey, double>> Calibrated<TKey>(
        IReadOnlyList<IReadOnlyList<KeyValuePair<TKey, double>>> lists,
        IReadOnlyList<double>? weights = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(lists);
        if (weights is not null && weights.Count != lists.Count)
        {
            throw new ArgumentException($"{weights.Count} weights were given for {lists.Count} lists.", nameof(weights));
        }

        // Lists without candidates take no share: one list alone keeps its full 0..1 range.
        var total = Enumerable.Range(0, lists.Count).Where(i => lists[i].Count > 0).Sum(i => weights?[i] ?? 1.0);
        var scores = new Dictionary<TKey, (double Score, int Order)>();
        for (var list = 0; list < lists.Count; list++)
        {
            var items = lists[list];
            if (items.Count == 0 || total <= 0)
            {
                continue;
            }

            var weight = (weights?[list] ?? 1.0) / total;
            var max = items.Max(i => i.Value);
            var min = items.Min(i => i.Value);
            foreach (var (key, value) in items)
            {
                var scaled = max > min ? (value - min) / (max - min) : 1.0;
                var add = weight * scaled;
                scores[key] = scores.TryGetValue(key, out var current) ? (current.Score + add, current.Order) : (add, scores.Count);
            }
        }

        return scores
            .OrderByDescending(s => s.Value.Score)
            .ThenBy(s => s.Value.Order)
            .Select(s => KeyValuePair.Create(s.Key, s.Value.Score))
            .ToList();
    }
}
