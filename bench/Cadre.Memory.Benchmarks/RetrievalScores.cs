using System.Text.Json.Nodes;

namespace Cadre.Memory.Benchmarks;

/// <summary>Retrieval quality and speed over a set of questions: recall@1/5/10 of the evidence turns, mean reciprocal
/// rank of the first evidence turn, and the median and 95th-percentile recall latency.</summary>
/// <param name="Questions">How many questions.</param>
/// <param name="RecallAt1">Mean share of evidence found in the first result.</param>
/// <param name="RecallAt5">Mean share of evidence found in the first 5.</param>
/// <param name="RecallAt10">Mean share of evidence found in the first 10.</param>
/// <param name="Mrr">Mean reciprocal rank of the first evidence turn (0 when not in the results).</param>
/// <param name="P50Ms">Median recall latency, milliseconds.</param>
/// <param name="P95Ms">95th-percentile recall latency, milliseconds.</param>
public sealed record RetrievalScores(int Questions, double RecallAt1, double RecallAt5, double RecallAt10, double Mrr, double P50Ms, double P95Ms)
{
    /// <summary>Scores of no questions.</summary>
    public static RetrievalScores Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Aggregates per-question results.</summary>
    /// <param name="results">Each question's recall@1/5/10, reciprocal rank and latency.</param>
    /// <returns>The scores.</returns>
    public static RetrievalScores Of(IReadOnlyCollection<(double R1, double R5, double R10, double Rr, double Ms)> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return Empty;
        }

        var latencies = results.Select(r => r.Ms).ToList();
        return new RetrievalScores(results.Count, results.Average(r => r.R1), results.Average(r => r.R5), results.Average(r => r.R10),
            results.Average(r => r.Rr), Percentile(latencies, 0.50), Percentile(latencies, 0.95));
    }

    /// <summary>The value below which a share <paramref name="p"/> of the values fall (nearest rank).</summary>
    /// <param name="values">The values.</param>
    /// <param name="p">The share, 0..1.</param>
    /// <returns>The percentile (0 for no values).</returns>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The scores as JSON with the field names the benchmark's consumers expect.</summary>
    /// <returns>The object.</returns>
    public JsonObject ToJson() => new()
    {
        ["questions"] = Questions,
        ["recall@1"] = Math.Round(RecallAt1, 4),
        ["recall@5"] = Math.Round(RecallAt5, 4),
        ["recall@10"] = Math.Round(RecallAt10, 4),
        ["mrr"] = Math.Round(Mrr, 4),
        ["p50_ms"] = Math.Round(P50Ms, 3),
        ["p95_ms"] = Math.Round(P95Ms, 3),
    };
}
