using System.Text.Json.Nodes;

namespace Cadre.Memory.Benchmarks;

/// <summary>What a scale run measured at one size.</summary>
/// <param name="Memories">Memories stored.</param>
/// <param name="Dimensions">Embedding dimensions.</param>
/// <param name="IngestPerSecond">Memories stored per second, embeddings given (no embedding cost).</param>
/// <param name="IndexLoadSeconds">Seconds to load the vector index from the file.</param>
/// <param name="Hybrid">Hybrid recall latency p50 and p95, milliseconds.</param>
/// <param name="Keyword">Keyword-only recall latency p50 and p95.</param>
/// <param name="Vector">Vector-only recall latency p50 and p95.</param>
/// <param name="HitAt10">Share of queries whose source memory was in the top 10 (hybrid).</param>
/// <param name="Quantized">Whether vector search pre-selected by binary quantisation at this size.</param>
/// <param name="ExactVectorP95Ms">p95 of an exact scan of the same index, when quantised (the baseline).</param>
/// <param name="OverlapAt10">Share of the exact top 10 that the quantised search also returned, when quantised.</param>
/// <param name="ResidentMb">Resident memory of the process after loading, megabytes.</param>
/// <param name="FileMb">The workspace file's size (with its WAL), megabytes.</param>
/// <param name="Embeddings">The model whose vectors were stored.</param>
public sealed record ScaleResult(
    int Memories,
    int Dimensions,
    double IngestPerSecond,
    double IndexLoadSeconds,
    (double P50, double P95) Hybrid,
    (double P50, double P95) Keyword,
    (double P50, double P95) Vector,
    double HitAt10,
    bool Quantized,
    double? ExactVectorP95Ms,
    double? OverlapAt10,
    double ResidentMb,
    double FileMb,
    string Embeddings = "")
{
    /// <summary>The result as JSON.</summary>
    /// <returns>The object.</returns>
    public JsonObject ToJson() => new()
    {
        ["memories"] = Memories,
        ["dimensions"] = Dimensions,
        ["embeddings"] = Embeddings,
        ["ingest_per_s"] = Math.Round(IngestPerSecond),
        ["index_load_s"] = Math.Round(IndexLoadSeconds, 2),
        ["hybrid_p50_ms"] = Math.Round(Hybrid.P50, 3),
        ["hybrid_p95_ms"] = Math.Round(Hybrid.P95, 3),
        ["keyword_p50_ms"] = Math.Round(Keyword.P50, 3),
        ["keyword_p95_ms"] = Math.Round(Keyword.P95, 3),
        ["vector_p50_ms"] = Math.Round(Vector.P50, 3),
        ["vector_p95_ms"] = Math.Round(Vector.P95, 3),
        ["hit@10"] = Math.Round(HitAt10, 4),
        ["quantized"] = Quantized,
        ["exact_vector_p95_ms"] = ExactVectorP95Ms is { } e ? Math.Round(e, 3) : null,
        ["overlap@10"] = OverlapAt10 is { } o ? Math.Round(o, 4) : null,
        ["resident_mb"] = Math.Round(ResidentMb),
        ["file_mb"] = Math.Round(FileMb),
    };
}
