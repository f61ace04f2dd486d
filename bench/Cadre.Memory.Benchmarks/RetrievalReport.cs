namespace Cadre.Memory.Benchmarks;

/// <summary>What the retrieval benchmark measured on a dataset.</summary>
/// <param name="Source">The dataset.</param>
/// <param name="Samples">Conversations.</param>
/// <param name="Memories">Turns stored as memories (exact duplicates within a conversation count once).</param>
/// <param name="Skipped">Questions skipped for lack of evidence.</param>
/// <param name="Store">The store (<c>sqlite</c>, <c>memory</c> or <c>postgres</c>).</param>
/// <param name="EmbeddingModel">The embedding model.</param>
/// <param name="IngestPerSecond">Turns stored per second, embedding included.</param>
/// <param name="Modes">Per retrieval mode (<c>hybrid</c>, <c>keyword</c>, <c>vector</c>): scores of categories 1–4
/// together, and per category.</param>
public sealed record RetrievalReport(
    string Source,
    int Samples,
    int Memories,
    int Skipped,
    string Store,
    string EmbeddingModel,
    double IngestPerSecond,
    IReadOnlyDictionary<string, (RetrievalScores Main, IReadOnlyDictionary<int, RetrievalScores> ByCategory)> Modes);
