namespace Cadre.Memory.Episodes;

/// <summary>A lesson from a past episode.</summary>
/// <param name="Text">The lesson as one sentence, as recorded with the episode.</param>
/// <param name="Episode">The episode it was learned in.</param>
/// <param name="Score">The episode's score for the query (similarity and recency).</param>
public sealed record Lesson(string Text, Episode Episode, double Score)
{
    /// <summary>The lesson with where it came from: <c>Check ... (run r1, failure, 2026-11-01)</c>.</summary>
    public override string ToString() =>
        $"{Text} (from {Episode.Id}, {Episode.Outcome.ToString().ToLowerInvariant()}, {Episode.RecordedAt:yyyy-MM-dd})";
}
