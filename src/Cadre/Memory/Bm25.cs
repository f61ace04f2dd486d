namespace Cadre.Memory;

/// <summary>
/// Okapi BM25 (k1 = 1.2, b = 0.75) over <see cref="TextTerms.Keywords"/>: the one keyword ranking every Cadre store uses,
/// so SQLite, PostgreSQL and the in-memory stores order the same matches the same way. The statistics (document count,
/// average length, document frequencies) are the reader's scope's, never the whole workspace's.
/// </summary>
public static class Bm25
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>One term's contribution to one document's score.</summary>
    /// <param name="frequency">How often the term occurs in the document.</param>
    /// <param name="documentFrequency">How many of the reader's documents hold the term.</param>
    /// <param name="documents">How many documents the reader sees.</param>
    /// <param name="length">The document's length in terms.</param>
    /// <param name="averageLength">The average length of the reader's documents.</param>
    /// <returns>The contribution (0 when the term is absent).</returns>
    public static double Score(int frequency, long documentFrequency, long documents, int length, double averageLength)
    {
        if (frequency <= 0)
        {
            return 0;
        }

        var idf = Math.Log(1 + ((documents - documentFrequency + 0.5) / (documentFrequency + 0.5)));
        return idf * frequency * (K1 + 1) / (frequency + (K1 * (1 - B + (B * length / Math.Max(1e-9, averageLength)))));
    }

    /// <summary>Ranks the documents that matched a query, given every visible match of its terms: document frequencies
    /// are counted among <paramref name="matches"/>, so they must hold all of the reader's matches of these terms.</summary>
    /// <param name="terms">The query's distinct terms.</param>
    /// <param name="matches">Each matching document (its sequence number) with its terms.</param>
    /// <param name="documents">How many documents the reader sees (at least the number of matches is used).</param>
    /// <param name="averageLength">Their average length in terms (the matches' when 0).</param>
    /// <param name="limit">At most this many.</param>
    /// <returns>The best documents with their scores, best first, newer first among equals.</returns>
    public static List<(long Document, double Score)> Rank(IReadOnlyCollection<string> terms, IReadOnlyList<(long Document, string[] Terms)> matches, long documents, double averageLength, int limit)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(matches);
        documents = Math.Max(documents, matches.Count);
        averageLength = averageLength > 0 ? averageLength : Math.Max(1, matches.Count == 0 ? 1 : matches.Average(m => m.Terms.Length));
        var frequencies = terms.ToDictionary(t => t, t => matches.Count(m => m.Terms.Contains(t, StringComparer.Ordinal)), StringComparer.Ordinal);
        return matches
            .Select(m => (m.Document, Score: terms.Sum(term => Score(m.Terms.Count(t => t == term), frequencies[term], documents, m.Terms.Length, averageLength))))
            .OrderByDescending(r => r.Score)
            .ThenByDescending(r => r.Document)
            .Take(limit)
            .ToList();
    }
}
