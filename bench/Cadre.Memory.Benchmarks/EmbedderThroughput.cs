using System.Text.Json.Nodes;

namespace Cadre.Memory.Benchmarks;

/// <summary>How fast an embedder is on this machine.</summary>
/// <param name="Model">The model id.</param>
/// <param name="Sentences">Sentences embedded in one batched call.</param>
/// <param name="SentencesPerSecond">Sentences per second, batched (as ingest embeds).</param>
/// <param name="QueryP50Ms">Median latency of embedding one query alone (as recall does).</param>
/// <param name="QueryP95Ms">95th-percentile latency of one query.</param>
/// <param name="LoadSeconds">Seconds the first call took beyond the batch (loading the model).</param>
public sealed record EmbedderThroughput(string Model, int Sentences, double SentencesPerSecond, double QueryP50Ms, double QueryP95Ms, double LoadSeconds)
{
    /// <summary>The figures as JSON.</summary>
    /// <returns>The object.</returns>
    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["sentences"] = Sentences,
        ["sentences_per_s"] = Math.Round(SentencesPerSecond, 1),
        ["query_p50_ms"] = Math.Round(QueryP50Ms, 2),
        ["query_p95_ms"] = Math.Round(QueryP95Ms, 2),
        ["load_s"] = Math.Round(LoadSeconds, 2),
    };
}
