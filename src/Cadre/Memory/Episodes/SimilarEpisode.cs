namespace Cadre.Memory.Episodes;

/// <summary>An episode recalled for a task.</summary>
/// <param name="Episode">The past episode as stored, with its lessons.</param>
/// <param name="Score">Relevance plus the weighted recency.</param>
/// <param name="Relevance">How similar it is, 0..1.</param>
public sealed record SimilarEpisode(Episode Episode, double Score, double Relevance);
