namespace Cadre.Memory;

/// <summary>
/// BM25 keyword search over texts kept in memory (k1 = 1.2, b = 0.75, terms from <see cref="TextTerms.Keywords"/>):
/// what the in-memory stores and in-process rankings use where SQLite uses FTS5. Not thread-safe; its owner locks.
/// </summary>
internal sealed class KeywordIndex
{
    private readonly Dictionary<string, Dictionary<long, int>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string[]> _terms = [];
    private long _totalLength;

    public int Count => _terms.Count;

    public void Upsert(long document, string text)
    {
        Remove(document);
        var terms = TextTerms.Keywords(text).ToArray();
        _terms[document] = terms;
        _totalLength += terms.Length;
        foreach (var term in terms)
        {
            if (!_postings.TryGetValue(term, out var posting))
            {
                posting = [];
                _postings[term] = posting;
            }

            posting[document] = posting.GetValueOrDefault(document) + 1;
        }
    }

    public void Remove(long document)
    {
        if (!_terms.Remove(document, out var terms))
        {
            return;
        }

        _totalLength -= terms.Length;
        foreach (var term in terms.Distinct(StringComparer.Ordinal))
        {
            var posting = _postings[term];
            posting.Remove(document);
            if (posting.Count == 0)
            {
                _postings.Remove(term);
            }
        }
    }

    /// <summary>The best <paramref name="k"/> documents for the query, best first; only documents with a positive
    /// score that <paramref name="accept"/> takes. BM25's statistics (document count, average length, document
    /// frequencies) are those of the documents <paramref name="accept"/> takes — a reader's scope, not everyone's.</summary>
    public List<(long Document, double Score)> Search(string query, int k, Func<long, bool>? accept = null)
    {
        var scores = new Dictionary<long, double>();
        if (_terms.Count == 0 || k <= 0)
        {
            return [];
        }

        var count = 0;
        var length = 0L;
        foreach (var (document, terms) in _terms)
        {
            if (accept is null || accept(document))
            {
                count++;
                length += terms.Length;
            }
        }

        if (count == 0)
        {
            return [];
        }

        var average = Math.Max(1e-9, (double)length / count);
        foreach (var term in TextTerms.Keywords(query).Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var posting))
            {
                continue;
            }

            var accepted = accept is null ? posting.ToList() : posting.Where(p => accept(p.Key)).ToList();
            foreach (var (document, frequency) in accepted)
            {
                var documentLength = _terms[document].Length;
                scores[document] = scores.GetValueOrDefault(document) + Bm25.Score(frequency, accepted.Count, count, documentLength, average);
            }
        }

        return scores
            .OrderByDescending(s => s.Value)
            .ThenBy(s => s.Key)
            .Take(k)
            .Select(s => (s.Key, s.Value))
            .ToList();
    }
}
