using System.Text;
using System.Text.Json;
using Cadre.Memory;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite.Memory;

/// <summary>Hybrid search in SQLite: BM25 over the FTS5 index with the reader's own term statistics, and the
/// in-process vector index; both apply the reader's scope and filter in SQL.</summary>
public sealed partial class SqliteMemoryStore
{
    // A keyword query ranks at most about this many postings (see TermFrequencies)...
    private const int MaxPostings = 2_000;

    // ... and, when every term is more common than that, reads the doclists of all of them only when the rarest holds
    // at most this many memories; beyond, vector search alone answers.
    private const int MaxAllPostings = 50_000;

    /// <inheritdoc />
    public async Task<MemoryCandidates> SearchAsync(MemorySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        // The two searches share nothing: the vector scan (CPU) runs while SQLite ranks the keyword matches.
        var vector = search.Vector.IsEmpty || search.EmbeddingModel is null
            ? Task.FromResult(new List<ScoredMemory>())
            : Task.Run(() => _vectors.SearchAsync(search, (connection, seqs, ct) => LoadAsync((SqliteConnection)connection, seqs, search.Scope, search.Filter, ct), cancellationToken), cancellationToken);
        var keyword = await KeywordSearchAsync(search, cancellationToken);
        return new MemoryCandidates(keyword, await vector);
    }

    /// <summary>Loads (or brings up to date) the in-memory vector index for an embedding model and the term counts now,
    /// instead of at the first search.</summary>
    /// <param name="embeddingModel">The model whose embeddings to load.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>; a write not yet committed is rolled back.</param>
    /// <returns>A task that completes when the index is current.</returns>
    public async Task WarmUpAsync(string embeddingModel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddingModel);
        await _vectors.SyncAsync(embeddingModel, cancellationToken);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await _frequencies.EnsureAsync(connection, cancellationToken);
    }

    private async Task<List<ScoredMemory>> KeywordSearchAsync(MemorySearch search, CancellationToken cancellationToken)
    {
        var terms = TextTerms.Keywords(search.Text).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 || search.Limit <= 0)
        {
            return [];
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await _frequencies.EnsureAsync(connection, cancellationToken);
        var chosen = _frequencies.Choose(terms, MaxPostings);
        if (chosen.Count == 0 && _frequencies.Rarest(terms) > MaxAllPostings)
        {
            return []; // every term is in a large share of the memories: keyword search would read much and rank little
        }

        // Rank the rare terms' documents by BM25 with the reader's own statistics: every visible match of the rare terms
        // is read (at most about MaxPostings) with its terms, and document frequencies, count and average length are
        // the reader's scopes', not the workspace's. When every term is common, rank only the newest documents that
        // hold them all (FTS5 reads those in rowid order without scoring the rest). Either way the reader's scope and
        // filter are applied inside the query, so other scopes' memories never take a scope's candidates.
        if (chosen.Count > 0)
        {
            return await RankRareAsync(connection, search, chosen, cancellationToken);
        }

        await using var command = connection.CreateCommand();
        var where = new StringBuilder("memories_fts MATCH $q AND ").Append(Sql.Visible("m"));
        Filter.Append(command, where, search.Filter);
        command.CommandText = $"SELECT {Columns}, bm25(memories_fts) FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid WHERE {where} ORDER BY memories_fts.rowid DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$q", string.Join(" AND ", terms.Select(Quote)));
        command.Parameters.AddWithValue("$limit", search.Limit);
        Sql.BindScope(command, search.Scope);
        var hits = new List<ScoredMemory>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new ScoredMemory(Read(reader), -reader.GetDouble(12)));
        }

        return hits.OrderByDescending(h => h.Score).ToList();
    }

    private async Task<List<ScoredMemory>> RankRareAsync(SqliteConnection connection, MemorySearch search, List<string> chosen, CancellationToken cancellationToken)
    {
        var matches = new List<(long Seq, string[] Terms)>();
        await using (var command = connection.CreateCommand())
        {
            var where = new StringBuilder("memories_fts MATCH $q AND ").Append(Sql.Visible("m"));
            Filter.Append(command, where, search.Filter);
            command.CommandText = $"SELECT m.seq, m.terms FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid WHERE {where};";
            command.Parameters.AddWithValue("$q", string.Join(" OR ", chosen.Select(Quote)));
            Sql.BindScope(command, search.Scope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                matches.Add((reader.GetInt64(0), reader.GetString(1).Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        var (documents, average) = _frequencies.Visible(search.Scope);
        var ranked = Bm25.Rank(chosen, matches, documents, average, search.Limit);
        var records = await LoadAsync(connection, ranked.Select(r => r.Document).ToList(), search.Scope, search.Filter, cancellationToken);
        return ranked.Where(r => records.ContainsKey(r.Document)).Select(r => new ScoredMemory(records[r.Document], r.Score)).ToList();
    }

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<Dictionary<long, MemoryRecord>> LoadAsync(SqliteConnection connection, IReadOnlyList<long> seqs, MemoryScope scope, MemoryFilter filter, CancellationToken cancellationToken)
    {
        if (seqs.Count == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        var where = new StringBuilder(Sql.Visible("m"));
        Filter.Append(command, where, filter);
        // CROSS JOIN keeps the id list as the outer loop: rows are fetched by key, never by scanning the scope's index.
        command.CommandText = $"SELECT {Columns} FROM json_each($seqs) j CROSS JOIN memories m ON m.seq = j.value WHERE {where};";
        command.Parameters.AddWithValue("$seqs", JsonSerializer.Serialize(seqs));
        Sql.BindScope(command, scope);
        var records = new Dictionary<long, MemoryRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records[reader.GetInt64(0)] = Read(reader);
        }

        return records;
    }
}
