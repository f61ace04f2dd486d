using System.Text;
using Cadre.Memory;
using Npgsql;

namespace Cadre.Postgres.Memory;

/// <summary>Hybrid search in PostgreSQL: full-text search finds keyword candidates that BM25 ranks in process with the
/// reader's own statistics, and the in-process vector index answers vector queries; both apply the reader's scope and
/// filter in SQL.</summary>
public sealed partial class PostgresMemoryStore
{
    // Keyword search ranks at most this many matches.
    private const int MaxRankedMatches = 2_000;

    /// <inheritdoc />
    public async Task<MemoryCandidates> SearchAsync(MemorySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        // The two searches share nothing: the vector scan (CPU) runs while the server ranks the keyword matches.
        var vector = search.Vector.IsEmpty || search.EmbeddingModel is null
            ? Task.FromResult(new List<ScoredMemory>())
            : Task.Run(() => _vectors.SearchAsync(search, (connection, seqs, ct) => LoadAsync((NpgsqlConnection)connection, seqs, search.Scope, search.Filter, ct), cancellationToken), cancellationToken);
        var keyword = await KeywordSearchAsync(search, cancellationToken);
        return new MemoryCandidates(keyword, await vector);
    }

    /// <summary>Loads (or brings up to date) the in-process vector index for an embedding model now, instead of at the
    /// first search.</summary>
    /// <param name="embeddingModel">The model whose embeddings to load.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>; a write not yet committed is rolled back.</param>
    /// <returns>A task that completes when the index is current.</returns>
    public Task WarmUpAsync(string embeddingModel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddingModel);
        return _vectors.SyncAsync(embeddingModel, cancellationToken);
    }

    private async Task<List<ScoredMemory>> KeywordSearchAsync(MemorySearch search, CancellationToken cancellationToken)
    {
        var terms = TextTerms.Keywords(search.Text).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 || search.Limit <= 0)
        {
            return [];
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // Full-text search finds the candidates (each term quoted, joined by "or": any shared term makes one); BM25 ranks
        // them in process with the reader's own statistics, like the SQLite store: document count and average length
        // of the memories the scope sees, document frequencies among its matches. When the query's words are in a large
        // share of the memories, the newest matches up to a budget are ranked (like SQLite's postings budget).
        var matches = new List<(long Seq, string[] Terms)>();
        await using (var command = new NpgsqlCommand { Connection = connection })
        {
            var where = new StringBuilder(ScopeSql.Visible("m"));
            Filter.Append(command, where, search.Filter);
            command.CommandText = $"""
                SELECT m.seq, m.terms FROM memories m, websearch_to_tsquery('simple', @q) q
                WHERE m.search @@ q AND {where} ORDER BY m.seq DESC LIMIT @budget;
                """;
            command.Parameters.AddWithValue("budget", MaxRankedMatches);
            command.Parameters.AddWithValue("q", string.Join(" or ", terms.Select(t => "\"" + t.Replace("\"", "", StringComparison.Ordinal) + "\"")));
            ScopeSql.Bind(command, search.Scope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                matches.Add((reader.GetInt64(0), reader.GetString(1).Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        if (matches.Count == 0)
        {
            return [];
        }

        long documents;
        double average;
        await using (var command = new NpgsqlCommand { Connection = connection })
        {
            command.CommandText = $"""
                SELECT count(*), coalesce(avg(cardinality(string_to_array(m.terms, ' '))), 0)::float8
                FROM memories m WHERE {ScopeSql.Visible("m")};
                """;
            ScopeSql.Bind(command, search.Scope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (documents, average) = (reader.GetInt64(0), reader.GetDouble(1));
        }

        var ranked = Bm25.Rank(terms, matches, documents, average, search.Limit);
        var records = await LoadAsync(connection, ranked.Select(r => r.Document).ToArray(), search.Scope, search.Filter, cancellationToken);
        return ranked.Where(r => records.ContainsKey(r.Document)).Select(r => new ScoredMemory(records[r.Document], r.Score)).ToList();
    }

    private static async Task<Dictionary<long, MemoryRecord>> LoadAsync(NpgsqlConnection connection, IReadOnlyList<long> seqs, MemoryScope scope, MemoryFilter filter, CancellationToken cancellationToken)
    {
        if (seqs.Count == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand { Connection = connection };
        var where = new StringBuilder(ScopeSql.Visible("m"));
        Filter.Append(command, where, filter);
        // The scope is checked again here: the index's labels only narrow the search, the SQL decides.
        command.CommandText = $"SELECT {Columns} FROM memories m WHERE m.seq = ANY(@seqs) AND {where};";
        command.Parameters.AddWithValue("seqs", seqs.ToArray());
        ScopeSql.Bind(command, scope);
        return (await ReadAllAsync(command, cancellationToken)).ToDictionary(r => r.Seq, r => r.Record);
    }
}
