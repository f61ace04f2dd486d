using System.Diagnostics;
using Cadre.Postgres;
using Cadre.Sqlite;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Memory.Benchmarks;

/// <summary>
/// Long-term memory on a LoCoMo-layout dataset: every turn of every conversation is stored as a memory (one scope per
/// conversation), every question is recalled (k = 10) and scored by where its evidence turns rank: recall@1/5/10, MRR,
/// latency. Hybrid retrieval is measured against its two halves (keyword only, vector only) in the same process.
/// </summary>
public static class RetrievalBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="dataset">The data.</param>
    /// <param name="directory">A folder for the workspace file (with <paramref name="store"/> <c>sqlite</c>).</param>
    /// <param name="store"><c>sqlite</c> (the default workspace), <c>memory</c>, or a PostgreSQL database (<c>postgres://...</c>).</param>
    /// <param name="embeddings">The embedder; the local hashing embedder when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report.</returns>
    public static async Task<RetrievalReport> RunAsync(LocomoDataset dataset, string directory, string store = "sqlite", IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        const int K = 10;
        await using IWorkspace? workspace = store == "memory" ? null
            : PostgresConnectionString.IsPostgres(store) ? await PostgresWorkspace.OpenAsync(store, cancellationToken)
            : await SqliteWorkspace.OpenAsync(directory, cancellationToken);
        var memory = new LongTermMemory(workspace?.Memory.Stores.LongTerm ?? new InMemoryMemoryStore(), embeddings);

        // Ingest: one scope per conversation; duplicate turns map to the memory already stored.
        var turnsOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var stopwatch = Stopwatch.StartNew();
        var stored = 0;
        foreach (var sample in dataset.Samples)
        {
            var scope = ScopeOf(sample);
            var drafts = sample.ToMemories(scope);
            var results = await memory.StoreManyAsync(drafts, cancellationToken);
            for (var i = 0; i < results.Count; i++)
            {
                var id = results[i].Record!.Id;
                if (!turnsOf.TryGetValue(id, out var ids))
                {
                    ids = [];
                    turnsOf[id] = ids;
                    stored++;
                }

                ids.Add(sample.Turns[i].DiaId);
            }
        }

        var ingest = stored / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9);
        var modes = new Dictionary<string, (RetrievalScores, IReadOnlyDictionary<int, RetrievalScores>)>(StringComparer.Ordinal);
        foreach (var (name, mode, fusion, neighbours) in Variants)
        {
            var perQuestion = new List<(int Category, (double, double, double, double, double) Result)>();
            foreach (var sample in dataset.Samples)
            {
                var scope = ScopeOf(sample);
                // One unmeasured recall per conversation, so index loading is not counted as latency.
                await memory.RecallAsync(new MemoryQuery { Text = "warm up", Scope = scope, K = K, Mode = mode, Fusion = fusion, NeighbourWeight = neighbours }, cancellationToken);
                foreach (var question in sample.Questions)
                {
                    var started = Stopwatch.GetTimestamp();
                    var recalled = await memory.RecallAsync(new MemoryQuery { Text = question.Question, Scope = scope, K = K, Mode = mode, Fusion = fusion, NeighbourWeight = neighbours }, cancellationToken);
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var ranked = recalled.Select(r => turnsOf.GetValueOrDefault(r.Record.Id) ?? []).ToList();
                    perQuestion.Add((question.Category, Score(question.Evidence, ranked, ms)));
                }
            }

            var main = RetrievalScores.Of(perQuestion.Where(q => q.Category is >= 1 and <= 4).Select(q => q.Result).ToList());
            var byCategory = perQuestion.GroupBy(q => q.Category).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key, g => RetrievalScores.Of(g.Select(q => q.Result).ToList()));
            modes[name] = (main, byCategory);
        }

        return new RetrievalReport(dataset.Source, dataset.Samples.Count, stored, dataset.SkippedQuestions, PostgresConnectionString.IsPostgres(store) ? "postgres" : store, memory.EmbeddingModel, ingest, modes);
    }

    /// <summary>Scores one question: the share of its evidence in the first 1, 5 and 10 results and the reciprocal rank of
    /// the first result that is evidence.</summary>
    /// <param name="evidence">The evidence ids.</param>
    /// <param name="ranked">The dia_ids of each result, best first.</param>
    /// <param name="ms">The recall's latency.</param>
    /// <returns>recall@1, recall@5, recall@10, reciprocal rank, latency.</returns>
    public static (double R1, double R5, double R10, double Rr, double Ms) Score(IReadOnlyList<string> evidence, IReadOnlyList<IReadOnlyCollection<string>> ranked, double ms)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(ranked);
        double RecallAt(int k) => evidence.Count(e => ranked.Take(k).Any(r => r.Contains(e))) / (double)evidence.Count;
        var first = ranked.Select((ids, i) => (ids, i)).FirstOrDefault(x => x.ids.Any(evidence.Contains), (ids: [], i: -1)).i;
        return (RecallAt(1), RecallAt(5), RecallAt(10), first < 0 ? 0 : 1.0 / (first + 1), ms);
    }

    /// <summary>What is measured: hybrid with calibrated fusion and neighbouring turns (the default), hybrid with
    /// reciprocal rank fusion, hybrid without neighbours, and each half alone (with neighbours, as the default uses it).</summary>
    private static readonly (string Name, RetrievalMode Mode, FusionMethod Fusion, double Neighbours)[] Variants =
    [
        ("hybrid", RetrievalMode.Hybrid, FusionMethod.Calibrated, 0.5),
        ("hybrid-rrf", RetrievalMode.Hybrid, FusionMethod.Reciprocal, 0),
        ("hybrid-no-neighbours", RetrievalMode.Hybrid, FusionMethod.Calibrated, 0),
        ("keyword", RetrievalMode.Keyword, FusionMethod.Calibrated, 0.5),
        ("vector", RetrievalMode.Vector, FusionMethod.Calibrated, 0.5),
    ];

    private static MemoryScope ScopeOf(LocomoSample sample) =>
        new(new string(sample.Id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()));
}
