namespace Cadre.Memory;

/// <summary>A recalled memory with why it was recalled.</summary>
/// <param name="Record">The memory as stored, with its embedding.</param>
/// <param name="Score">Its final score: relevance plus the weighted recency and importance.</param>
/// <param name="Relevance">Its fused relevance, 0..1 (1 = the best candidate).</param>
/// <param name="KeywordRank">Its rank in the keyword list, from 1, if it was there.</param>
/// <param name="VectorRank">Its rank in the vector list, from 1, if it was there.</param>
public sealed record RecalledMemory(MemoryRecord Record, double Score, double Relevance, int? KeywordRank, int? VectorRank);
