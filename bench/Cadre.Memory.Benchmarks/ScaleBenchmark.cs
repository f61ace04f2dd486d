using System.Diagnostics;
using Cadre.Sqlite;
using Cadre.Sqlite.Memory;
using Microsoft.Extensions.AI;

namespace Cadre.Memory.Benchmarks;

/// <summary>
/// Long-term memory at scale in the workspace's SQLite file: stores N memories of synthetic text with 384-dimension
/// embeddings computed beforehand (so ingest is measured without embedding cost), loads the vector index, and measures
/// hybrid, keyword-only and vector-only recall latency, the quality of quantised vector search against an exact scan of
/// the same index, resident memory and file size.
/// </summary>
public static class ScaleBenchmark
{
    private const int Batch = 5_000;
    private static readonly MemoryScope Scope = new("bench");
    private static readonly string[] FileSuffixes = ["", "-wal"];

    /// <summary>Runs one size.</summary>
    /// <param name="memories">How many memories.</param>
    /// <param name="directory">An empty folder for the workspace.</param>
    /// <param name="queries">How many queries to time.</param>
    /// <param name="dimensions">Embedding dimensions.</param>
    /// <param name="progress">Told how far it got (for long runs).</param>
    /// <param name="model">A real embedding model: its vectors of <paramref name="pool"/> distinct sentences are spread
    /// over the memories (each reused with a little noise, since embedding every memory would take the model minutes);
    /// the hashing embedder's vectors for every memory when null.</param>
    /// <param name="pool">How many distinct sentences <paramref name="model"/> embeds.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    public static async Task<ScaleResult> RunAsync(
        int memories,
        string directory,
        int queries = 200,
        int dimensions = 384,
        Action<string>? progress = null,
        IEmbeddingGenerator<string, Embedding<float>>? model = null,
        int pool = 2_000,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memories);
        var text = new SyntheticText(seed: 11);
        var hashing = new HashingEmbeddingGenerator(dimensions);
        var modelId = model?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? hashing.ModelId;
        var sentences = new List<string>();
        var vectors = new List<float[]>();
        if (model is not null)
        {
            sentences = Enumerable.Range(0, Math.Min(memories, pool)).Select(_ => text.Sentence()).ToList();
            progress?.Invoke($"  embedding {sentences.Count:N0} distinct sentences with {modelId}");
            foreach (var chunk in sentences.Chunk(1_000))
            {
                vectors.AddRange((await model.GenerateAsync(chunk, null, cancellationToken)).Select(e => e.Vector.ToArray()));
            }
        }

        var noise = new Random(5);
        float[] VectorOf(int i, string sentence)
        {
            if (model is null)
            {
                return hashing.Embed(sentence);
            }

            var vector = (float[])vectors[i % vectors.Count].Clone();
            for (var d = 0; d < vector.Length; d++)
            {
                vector[d] += (float)((noise.NextDouble() - 0.5) * 0.01);
            }

            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
            return vector;
        }

        await using var workspace = await SqliteWorkspace.OpenAsync(directory, cancellationToken);
        var store = (SqliteMemoryStore)workspace.Memory.Stores.LongTerm;
        var memory = new LongTermMemory(store, model ?? hashing);
        var samples = new List<(string Id, string Text)>();
        var ingest = TimeSpan.Zero;
        var stored = 0;
        for (var start = 0; start < memories; start += Batch)
        {
            var batch = Enumerable.Range(0, Math.Min(Batch, memories - start)).Select(j =>
            {
                var i = start + j;
                var sentence = model is null ? text.Sentence() : $"{sentences[i % sentences.Count]} (note {i})";
                return new MemoryRecord
                {
                    Id = MemoryRecord.NewId(),
                    Scope = Scope,
                    Text = sentence,
                    Embedding = VectorOf(i, sentence),
                    EmbeddingModel = modelId,
                    CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(start),
                    UpdatedAt = DateTimeOffset.UnixEpoch.AddSeconds(start),
                };
            }).ToList();
            var started = Stopwatch.GetTimestamp();
            var results = await store.AddRangeAsync(batch, cancellationToken);
            ingest += Stopwatch.GetElapsedTime(started);
            stored += results.Count(r => r.Status == MemoryWriteStatus.Added);
            // Queries come from memories spread over the whole store: about 2 × queries picked as they are stored.
            foreach (var record in batch.Where(_ => text.Next(memories) < 2 * queries))
            {
                samples.Add((record.Id, record.Text));
            }

            if ((start / Batch) % 20 == 19)
            {
                progress?.Invoke($"  {start + batch.Count:N0} of {memories:N0} stored");
            }
        }

        if (samples.Count < queries)
        {
            samples.AddRange((await store.ListAsync(Scope, null, queries - samples.Count, 0, cancellationToken)).Select(r => (r.Id, r.Text)));
        }

        samples = samples.OrderBy(_ => text.Next(int.MaxValue)).ToList();
        var loadStarted = Stopwatch.GetTimestamp();
        await store.WarmUpAsync(modelId, cancellationToken);
        var load = Stopwatch.GetElapsedTime(loadStarted).TotalSeconds;
        progress?.Invoke($"  index loaded in {load:0.0}s");

        var questions = new List<(string Id, string Query, float[] Vector)>();
        foreach (var (id, query) in samples.Take(queries).Select(s => (s.Id, text.QueryFrom(s.Text, 4))))
        {
            questions.Add((id, query, model is null ? hashing.Embed(query) : (await model.GenerateAsync([query], EmbeddingInput.ForQuery(), cancellationToken))[0].Vector.ToArray()));
        }

        async Task<(double P50, double P95, double Hits)> TimeAsync(RetrievalMode mode)
        {
            foreach (var q in questions.Take(10))
            {
                await memory.RecallAsync(new MemoryQuery { Text = q.Query, Vector = q.Vector, Scope = Scope, K = 10, Mode = mode }, cancellationToken);
            }

            var latencies = new List<double>();
            var hits = 0;
            foreach (var q in questions)
            {
                var started = Stopwatch.GetTimestamp();
                var recalled = await memory.RecallAsync(new MemoryQuery { Text = q.Query, Vector = q.Vector, Scope = Scope, K = 10, Mode = mode }, cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                hits += recalled.Any(r => r.Record.Id == q.Id) ? 1 : 0;
            }

            return (RetrievalScores.Percentile(latencies, 0.5), RetrievalScores.Percentile(latencies, 0.95), hits / (double)questions.Count);
        }

        var hybrid = await TimeAsync(RetrievalMode.Hybrid);
        var keyword = await TimeAsync(RetrievalMode.Keyword);
        var vector = await TimeAsync(RetrievalMode.Vector);

        var index = store.Index!;
        var quantized = index.Count >= index.Options.QuantizeAbove;
        double? exactP95 = null;
        double? overlap = null;
        if (quantized)
        {
            var exact = new List<double>();
            var shared = 0.0;
            foreach (var q in questions)
            {
                var started = Stopwatch.GetTimestamp();
                var truth = index.Search(q.Vector, 10, exact: true);
                exact.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var approximate = index.Search(q.Vector, 10).Select(m => m.Key).ToHashSet();
                shared += truth.Count(m => approximate.Contains(m.Key)) / (double)Math.Max(1, truth.Count);
            }

            exactP95 = RetrievalScores.Percentile(exact, 0.95);
            overlap = shared / questions.Count;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var file = FileSuffixes.Select(s => new FileInfo(Path.Combine(workspace.Directory, SqliteWorkspace.FileName + s))).Where(f => f.Exists).Sum(f => f.Length);
        return new ScaleResult(stored, dimensions, stored / Math.Max(ingest.TotalSeconds, 1e-9), load, (hybrid.P50, hybrid.P95), (keyword.P50, keyword.P95),
            (vector.P50, vector.P95), hybrid.Hits, quantized, exactP95, overlap, process.WorkingSet64 / 1048576.0, file / 1048576.0, modelId);
    }
}
