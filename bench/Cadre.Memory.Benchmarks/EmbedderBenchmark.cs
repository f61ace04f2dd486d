using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Cadre.Memory.Benchmarks;

/// <summary>Measures an embedder on a dataset's own text: the turns embedded in one batched call (ingest), and the
/// questions one at a time as search queries (recall).</summary>
public static class EmbedderBenchmark
{
    /// <summary>Runs the measurement.</summary>
    /// <param name="dataset">The data.</param>
    /// <param name="embedder">The embedder.</param>
    /// <param name="queries">How many questions to time one by one.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The figures.</returns>
    public static async Task<EmbedderThroughput> RunAsync(LocomoDataset dataset, IEmbeddingGenerator<string, Embedding<float>> embedder, int queries = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(embedder);
        var model = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? embedder.GetType().Name;
        var load = Stopwatch.StartNew();
        await embedder.GenerateAsync(["warm up"], null, cancellationToken);
        var loadSeconds = load.Elapsed.TotalSeconds;

        var turns = dataset.Samples.SelectMany(s => s.Turns).Select(t => $"{t.Speaker}: {t.Text}").ToList();
        var batch = Stopwatch.StartNew();
        await embedder.GenerateAsync(turns, null, cancellationToken);
        var perSecond = turns.Count / Math.Max(batch.Elapsed.TotalSeconds, 1e-9);

        var latencies = new List<double>();
        foreach (var question in dataset.Samples.SelectMany(s => s.Questions).Take(queries))
        {
            var started = Stopwatch.GetTimestamp();
            await embedder.GenerateAsync([question.Question], EmbeddingInput.ForQuery(), cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return new EmbedderThroughput(model, turns.Count, perSecond, RetrievalScores.Percentile(latencies, 0.5), RetrievalScores.Percentile(latencies, 0.95), loadSeconds);
    }
}
