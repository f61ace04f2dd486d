using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Memory.Benchmarks;
using Cadre.Cli.Hosting;
using Cadre.Embeddings;
using Cadre.Memory;
using Cadre.Models;
using Microsoft.Extensions.AI;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre bench memory</c>: retrieval quality and speed on a LoCoMo-layout dataset, tokens per call of the
/// short-term strategies, and long-term memory at scale. Not a test: figures depend on the machine.</summary>
internal static class BenchCommand
{
    /// <summary><c>cadre bench</c>: <c>memory</c> (recall and tokens on a LoCoMo-layout dataset) and <c>cluster</c> (throughput and recovery of a running cluster).</summary>
    public static Command Create(CliContext context) => new("bench", "Measure Cadre on this machine.") { Memory(context), ClusterBenchCommand.Create(context) };

    private static Command Memory(CliContext context)
    {
        var data = new Option<string?>("--data") { Description = "A dataset in the LoCoMo JSON layout; synthetic data of that layout when not given." };
        var generate = new Option<string?>("--generate") { Description = "Write synthetic data in the LoCoMo layout to this file and stop." };
        var samples = new Option<int>("--samples") { Description = "Conversations of synthetic data.", DefaultValueFactory = _ => 3 };
        var store = new Option<string>("--store") { Description = "sqlite (the workspace file, default), memory, or a PostgreSQL database (postgres://user@host:port/db, empty).", DefaultValueFactory = _ => "sqlite" };
        store.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not ("sqlite" or "memory") && !Cadre.Postgres.PostgresConnectionString.IsPostgres(value))
            {
                result.AddError($"--store must be sqlite, memory or postgres://..., not '{value}'.");
            }
        });
        var budget = new Option<int>("--budget") { Description = "The context budget of the short-term benchmark, in tokens.", DefaultValueFactory = _ => 2_000 };
        var perSample = new Option<int>("--short-term-questions") { Description = "At most this many questions per conversation in the short-term benchmark (0 skips it).", DefaultValueFactory = _ => 50 };
        var scale = new Option<string?>("--scale") { Description = "Also measure at these sizes, comma-separated (like 10000,100000,1000000)." };
        var queries = new Option<int>("--queries") { Description = "Queries timed per scale run.", DefaultValueFactory = _ => 200 };
        var embeddings = CommonOptions.Embeddings();
        var json = CommonOptions.Json("Print one JSON object: questions, recall@1, recall@5, recall@10, mrr, p50_ms, p95_ms (categories 1-4, hybrid), by_category, category_5, baselines (hybrid-rrf, keyword, vector), embedder, short_term, scale, synthetic.");
        var command = new Command("memory", "Recall@1/5/10, MRR and latency on a LoCoMo-layout dataset; tokens per call of each short-term strategy; scale runs.")
        {
            data, generate, samples, store, embeddings, budget, perSample, scale, queries, json,
        };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            var generator = new LocomoGeneratorOptions { Samples = Math.Max(1, parse.GetValue(samples)) };
            if (parse.GetValue(generate) is { } target)
            {
                LocomoGenerator.Write(context.FullPath(target), generator);
                context.Out.WriteLine($"wrote {generator.Samples} synthetic conversations in the LoCoMo layout to {context.FullPath(target)}");
                return ExitCodes.Done;
            }

            var sizes = ParseSizes(parse.GetValue(scale));
            var work = Path.Combine(Path.GetTempPath(), "cadre-bench-" + Guid.NewGuid().ToString("n")[..8]);
            try
            {
                LocomoDataset dataset;
                if (parse.GetValue(data) is { } file)
                {
                    try
                    {
                        dataset = LocomoDataset.Load(context.FullPath(file));
                    }
                    catch (Exception ex) when (ex is FormatException or FileNotFoundException or DirectoryNotFoundException)
                    {
                        throw new UsageException(ex.Message, ex);
                    }
                }
                else
                {
                    Directory.CreateDirectory(work);
                    var synthetic = Path.Combine(work, "synthetic-locomo.json");
                    LocomoGenerator.Write(synthetic, generator);
                    dataset = LocomoDataset.Load(synthetic);
                }

                var quiet = parse.GetValue(json);
                void Progress(string line)
                {
                    if (!quiet)
                    {
                        context.Error.WriteLine(line);
                    }
                }

                Progress($"retrieval: {dataset.Samples.Count} conversations, {dataset.Samples.Sum(s => s.Turns.Count):N0} turns, {dataset.Samples.Sum(s => s.Questions.Count):N0} questions");
                IEmbeddingGenerator<string, Embedding<float>> embedder;
                try
                {
                    embedder = EmbeddingCatalog.Parse(parse.GetValue(embeddings), new ModelOptions { GetEnvironmentVariable = context.GetEnvironmentVariable });
                }
                catch (ModelSpecException ex)
                {
                    throw new UsageException(ex.Message, ex);
                }

                Progress("embedder: throughput");
                var throughput = await EmbedderBenchmark.RunAsync(dataset, embedder, cancellationToken: cancellationToken);
                var retrieval = await RetrievalBenchmark.RunAsync(dataset, Path.Combine(work, "retrieval"), parse.GetValue(store)!, embedder, cancellationToken);
                IReadOnlyList<ShortTermResult> shortTerm = [];
                if (parse.GetValue(perSample) > 0)
                {
                    Progress("short-term: tokens per call by strategy");
                    shortTerm = await ShortTermBenchmark.RunAsync(dataset, Math.Max(256, parse.GetValue(budget)), parse.GetValue(perSample), embedder, cancellationToken);
                }

                var scaled = new List<ScaleResult>();
                foreach (var size in sizes)
                {
                    Progress($"scale: {size:N0} memories");
                    var directory = Path.Combine(work, $"scale-{size}");
                    scaled.Add(await ScaleBenchmark.RunAsync(size, directory, Math.Max(10, parse.GetValue(queries)), progress: Progress, model: embedder is HashingEmbeddingGenerator ? null : embedder, cancellationToken: cancellationToken));
                    TryDelete(directory);
                }

                if (quiet)
                {
                    var report = ToJson(retrieval, throughput, shortTerm, parse.GetValue(budget), scaled);
                    report["synthetic"] = parse.GetValue(data) is null;
                    context.Out.WriteLine(report.ToJsonString(JsonOutput.Options));
                }
                else
                {
                    if (parse.GetValue(data) is null)
                    {
                        context.Out.WriteLine("Synthetic conversations (no --data): a plumbing check of the benchmark, not a quality figure; the questions reuse the evidence's words.");
                    }

                    Write(context.Out, retrieval, throughput, shortTerm, parse.GetValue(budget), scaled);
                }

                return ExitCodes.Done;
            }
            finally
            {
                TryDelete(work);
            }
        }));
        return command;
    }

    private static List<int> ParseSizes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var normal = part.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
            var multiplier = normal.EndsWith('K') ? 1_000 : normal.EndsWith('M') ? 1_000_000 : 1;
            if (!int.TryParse(multiplier == 1 ? normal : normal[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number <= 0 || (long)number * multiplier > 50_000_000)
            {
                throw new UsageException($"--scale takes sizes like 10000,100k,1M; '{part}' is not one.");
            }

            sizes.Add(number * multiplier);
        }

        return sizes;
    }

    private static JsonObject ToJson(RetrievalReport retrieval, EmbedderThroughput throughput, IReadOnlyList<ShortTermResult> shortTerm, int budget, IReadOnlyList<ScaleResult> scale)
    {
        JsonObject Mode(string name)
        {
            var (main, byCategory) = retrieval.Modes[name];
            var json = main.ToJson();
            json["by_category"] = new JsonObject(byCategory.Select(c => KeyValuePair.Create(c.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)c.Value.ToJson())));
            return json;
        }

        var report = new JsonObject
        {
            ["dataset"] = retrieval.Source,
            ["samples"] = retrieval.Samples,
            ["memories"] = retrieval.Memories,
            ["skipped"] = retrieval.Skipped,
            ["store"] = retrieval.Store,
            ["embeddings"] = retrieval.EmbeddingModel,
            ["ingest_per_s"] = Math.Round(retrieval.IngestPerSecond),
            ["embedder"] = throughput.ToJson(),
            ["k"] = 10,
        };
        foreach (var (key, value) in Mode("hybrid"))
        {
            report[key] = value?.DeepClone();
        }

        report["category_5"] = retrieval.Modes["hybrid"].ByCategory.TryGetValue(5, out var adversarial) ? adversarial.ToJson() : RetrievalScores.Empty.ToJson();
        report["baselines"] = new JsonObject(retrieval.Modes.Keys.Where(k => k != "hybrid").Select(k => KeyValuePair.Create(k, (JsonNode?)Mode(k))));
        var full = shortTerm.FirstOrDefault(s => s.Strategy == "full")?.TokensPerCall ?? 0;
        report["short_term"] = new JsonObject
        {
            ["budget"] = budget,
            ["strategies"] = new JsonArray(shortTerm.Select(s => (JsonNode?)new JsonObject
            {
                ["strategy"] = s.Strategy,
                ["calls"] = s.Calls,
                ["tokens_per_call"] = Math.Round(s.TokensPerCall, 1),
                ["vs_full"] = full > 0 ? Math.Round(s.TokensPerCall / full, 4) : null,
                ["evidence_kept"] = Math.Round(s.EvidenceKept, 4),
                ["summary_calls"] = s.SummaryCalls,
                ["ms_per_call"] = Math.Round(s.MsPerCall, 3),
            }).ToArray()),
        };
        report["scale"] = new JsonArray(scale.Select(s => (JsonNode?)s.ToJson()).ToArray());
        return report;
    }

    private static void Write(TextWriter output, RetrievalReport retrieval, EmbedderThroughput throughput, IReadOnlyList<ShortTermResult> shortTerm, int budget, IReadOnlyList<ScaleResult> scale)
    {
        string F(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);
        output.WriteLine($"Long-term memory on {retrieval.Source}");
        output.WriteLine($"{retrieval.Samples} conversations, {retrieval.Memories:N0} memories ({retrieval.Store}, {retrieval.EmbeddingModel}), {F(retrieval.IngestPerSecond, "N0")} stored/s with embedding; {retrieval.Skipped} questions without evidence skipped");
        output.WriteLine($"Embedder {throughput.Model}: {F(throughput.SentencesPerSecond, "N0")} sentences/s batched ({throughput.Sentences:N0} turns), one query {F(throughput.QueryP50Ms, "0.0")} ms p50 / {F(throughput.QueryP95Ms, "0.0")} ms p95, loaded in {F(throughput.LoadSeconds, "0.0")} s");
        output.WriteLine();
        var rows = new List<string[]>();
        foreach (var (mode, (main, byCategory)) in retrieval.Modes)
        {
            rows.Add([mode, "1-4", main.Questions.ToString(CultureInfo.InvariantCulture), F(main.RecallAt1), F(main.RecallAt5), F(main.RecallAt10), F(main.Mrr), F(main.P50Ms, "0.00"), F(main.P95Ms, "0.00")]);
            foreach (var (category, scores) in byCategory)
            {
                rows.Add(["", category.ToString(CultureInfo.InvariantCulture), scores.Questions.ToString(CultureInfo.InvariantCulture), F(scores.RecallAt1), F(scores.RecallAt5), F(scores.RecallAt10), F(scores.Mrr), F(scores.P50Ms, "0.00"), F(scores.P95Ms, "0.00")]);
            }
        }

        TextTable.Write(output, ["MODE", "CATEGORY", "QUESTIONS", "RECALL@1", "RECALL@5", "RECALL@10", "MRR", "P50 MS", "P95 MS"], rows);
        if (shortTerm.Count > 0)
        {
            var full = shortTerm[0].TokensPerCall;
            output.WriteLine();
            output.WriteLine($"Short-term memory: tokens per model call with a budget of {budget:N0} (evidence kept = share of the question's evidence turns sent whole)");
            TextTable.Write(output, ["STRATEGY", "CALLS", "TOKENS/CALL", "VS FULL", "EVIDENCE KEPT", "SUMMARY CALLS", "MS/CALL"], shortTerm.Select(s => new[]
            {
                s.Strategy, s.Calls.ToString(CultureInfo.InvariantCulture), F(s.TokensPerCall, "N0"), F(s.TokensPerCall / Math.Max(1, full), "0.00"), F(s.EvidenceKept),
                s.SummaryCalls.ToString(CultureInfo.InvariantCulture), F(s.MsPerCall, "0.00"),
            }));
        }

        if (scale.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Long-term memory at scale (SQLite workspace file, {scale[0].Dimensions}-dim embeddings of {scale[0].Embeddings} given, synthetic text; a plumbing and speed check, not a quality figure)");
            TextTable.Write(output, ["MEMORIES", "INGEST/S", "LOAD S", "HYBRID P50/P95 MS", "KEYWORD P50/P95", "VECTOR P50/P95", "EXACT VECTOR P95", "OVERLAP@10", "HIT@10", "RSS MB", "FILE MB"], scale.Select(s => new[]
            {
                s.Memories.ToString("N0", CultureInfo.InvariantCulture), F(s.IngestPerSecond, "N0"), F(s.IndexLoadSeconds, "0.0"),
                $"{F(s.Hybrid.P50, "0.00")} / {F(s.Hybrid.P95, "0.00")}", $"{F(s.Keyword.P50, "0.00")} / {F(s.Keyword.P95, "0.00")}", $"{F(s.Vector.P50, "0.00")} / {F(s.Vector.P95, "0.00")}",
                s.ExactVectorP95Ms is { } e ? F(e, "0.00") : "-", s.OverlapAt10 is { } o ? F(o, "0.00") : "-", F(s.HitAt10, "0.00"), F(s.ResidentMb, "N0"), F(s.FileMb, "N0"),
            }));
        }
    }

    private static void TryDelete(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
