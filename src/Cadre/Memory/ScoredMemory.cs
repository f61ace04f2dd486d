namespace Cadre.Memory;

/// <summary>A memory found by one kind of search, with that search's score (BM25 or cosine similarity; higher is
/// better).</summary>
public sealed record ScoredMemory(MemoryRecord Record, double Score);
