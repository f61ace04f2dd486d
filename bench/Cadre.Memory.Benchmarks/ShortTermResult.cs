namespace Cadre.Memory.Benchmarks;

/// <summary>What one short-term strategy sent per model call on long conversations.</summary>
/// <param name="Strategy"><c>full</c>, <c>sliding-window</c>, <c>summarize</c> or <c>relevance</c>.</param>
/// <param name="Calls">Model calls measured (one per question).</param>
/// <param name="TokensPerCall">Mean tokens sent per call.</param>
/// <param name="EvidenceKept">Mean share of the question's evidence turns sent whole.</param>
/// <param name="SummaryCalls">Calls to the summarising model (summarize only).</param>
/// <param name="MsPerCall">Mean time the reducer took per call, milliseconds.</param>
public sealed record ShortTermResult(string Strategy, int Calls, double TokensPerCall, double EvidenceKept, int SummaryCalls, double MsPerCall);
