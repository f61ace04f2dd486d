namespace Cadre.Memory;

/// <summary>What a store found for a <see cref="MemorySearch"/>: keyword and vector candidates, each best first.</summary>
/// <param name="Keyword">BM25 matches, best first.</param>
/// <param name="Vector">Nearest embeddings, most similar first.</param>
public sealed record MemoryCandidates(IReadOnlyList<ScoredMemory> Keyword, IReadOnlyList<ScoredMemory> Vector)
{
    /// <summary>Two empty lists: what a store returns when the search has neither text nor vector.</summary>
    public static MemoryCandidates None { get; } = new([], []);
}
