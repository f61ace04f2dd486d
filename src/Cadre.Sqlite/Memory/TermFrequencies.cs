using Cadre.Memory;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite.Memory;

/// <summary>
/// How many memories hold each search term, kept in memory to prune keyword queries: BM25 over a very common term
/// costs as much as the term has documents and adds little to the ranking, so queries keep the rarest terms up to a
/// budget of postings (like Lucene's cutoff frequency). With them, how many memories each stored scope holds and how
/// many terms they have together, so BM25 ranks a reader's matches by its own scopes' document count and average
/// length rather than the whole workspace's. Loaded from the FTS5 vocabulary and one scan, kept current by this
/// store's own writes, and reloaded when the table has grown by a tenth through other connections; approximate counts
/// are enough to choose terms and weigh them.
/// </summary>
internal sealed class TermFrequencies
{
    private readonly Lock _gate = new();
    private Dictionary<string, int>? _documents;
    private Dictionary<MemoryScope, (long Documents, long Terms)> _scopes = [];
    private long _total;
    private long _seenSeq;

    /// <summary>Loads the counts, or reloads them when the table has grown well past what they saw.</summary>
    public async Task EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var maxSeq = await SqliteCommands.ScalarAsync(connection, null, "SELECT coalesce(max(seq), 0) FROM memories;", cancellationToken);
        lock (_gate)
        {
            if (_documents is not null && maxSeq - _seenSeq <= Math.Max(1_000, _total / 10))
            {
                return;
            }
        }

        var documents = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var command = SqliteCommands.Command(connection, null, "SELECT term, doc FROM memories_vocab;"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                documents[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        var scopes = new Dictionary<MemoryScope, (long, long)>();
        var total = 0L;
        await using (var command = SqliteCommands.Command(connection, null,
            "SELECT tenant, team, agent, count(*), sum(CASE WHEN terms = '' THEN 0 ELSE length(terms) - length(replace(terms, ' ', '')) + 1 END) FROM memories GROUP BY tenant, team, agent;"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                scopes[new MemoryScope(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = (reader.GetInt64(3), reader.GetInt64(4));
                total += reader.GetInt64(3);
            }
        }

        lock (_gate)
        {
            _documents = documents;
            _scopes = scopes;
            _total = total;
            _seenSeq = maxSeq;
        }
    }

    /// <summary>Counts a stored (or, with <paramref name="sign"/> -1, removed) memory's terms.</summary>
    public void Count(MemoryScope scope, string terms, int sign)
    {
        lock (_gate)
        {
            if (_documents is null)
            {
                return;
            }

            var words = terms.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var term in words.Distinct(StringComparer.Ordinal))
            {
                _documents[term] = Math.Max(0, _documents.GetValueOrDefault(term) + sign);
            }

            var (documents, length) = _scopes.GetValueOrDefault(scope);
            _scopes[scope] = (Math.Max(0, documents + sign), Math.Max(0, length + (sign * words.Length)));
            _total += sign;
        }
    }

    /// <summary>The memories a reader sees and their average number of terms.</summary>
    public (long Documents, double AverageLength) Visible(MemoryScope reader)
    {
        lock (_gate)
        {
            long documents = 0, terms = 0;
            foreach (var (scope, size) in _scopes)
            {
                if (reader.Sees(scope))
                {
                    documents += size.Documents;
                    terms += size.Terms;
                }
            }

            return (documents, documents == 0 ? 0 : (double)terms / documents);
        }
    }

    /// <summary>Notes the newest row this store wrote, so its own growth does not cause a reload.</summary>
    public void Saw(long maxSeq)
    {
        lock (_gate)
        {
            _seenSeq = Math.Max(_seenSeq, maxSeq);
        }
    }

    /// <summary>How many memories hold the rarest of <paramref name="terms"/>.</summary>
    public int Rarest(IReadOnlyList<string> terms)
    {
        lock (_gate)
        {
            return terms.Count == 0 ? 0 : terms.Min(t => _documents?.GetValueOrDefault(t) ?? 0);
        }
    }

    /// <summary>The rarest query terms whose postings together stay within <paramref name="maxPostings"/>; empty when
    /// even the rarest term alone is more common than that.</summary>
    public List<string> Choose(IReadOnlyList<string> terms, int maxPostings)
    {
        lock (_gate)
        {
            var chosen = new List<string>();
            var postings = 0L;
            foreach (var (term, count) in terms.Select(t => (t, _documents?.GetValueOrDefault(t) ?? 0)).OrderBy(x => x.Item2))
            {
                if (postings + count > maxPostings)
                {
                    break;
                }

                chosen.Add(term);
                postings += count;
            }

            return chosen;
        }
    }
}
