using System.Text.Json.Nodes;
using Cadre.Tests.Support;

namespace Cadre.Tests.Benchmarks;

/// <summary><c>cadre bench memory</c> through the command line on small data: the fields it promises are there.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Generated_data_is_written_read_back_and_benchmarked_with_every_promised_json_field()
    {
        var generate = await CliRunner.RunAsync(_dir.Path, "bench", "memory", "--generate", "data.json", "--samples", "1");
        Assert.Equal(0, generate.ExitCode);

        var run = await CliRunner.RunAsync(_dir.Path, "bench", "memory", "--data", "data.json", "--json", "--short-term-questions", "5", "--budget", "600", "--scale", "1500", "--queries", "10");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var report = JsonNode.Parse(run.Out)!.AsObject();
        foreach (var field in new[] { "questions", "recall@1", "recall@5", "recall@10", "mrr", "p50_ms", "p95_ms", "by_category", "category_5", "baselines", "short_term", "scale" })
        {
            Assert.True(report.ContainsKey(field), $"missing {field}");
        }

        Assert.True((int)report["questions"]! > 0);
        Assert.InRange((double)report["recall@10"]!, 0.5, 1.0);
        Assert.True((double)report["recall@10"]! >= (double)report["recall@5"]! && (double)report["recall@5"]! >= (double)report["recall@1"]!);
        Assert.Equal((int)report["questions"]!, report["by_category"]!.AsObject().Where(c => c.Key is "1" or "2" or "3" or "4").Sum(c => (int)c.Value!["questions"]!));
        Assert.Equal((int?)report["by_category"]!["5"]?["questions"] ?? 0, (int)report["category_5"]!["questions"]!);
        Assert.NotNull(report["baselines"]!["keyword"]!["mrr"]);
        var strategies = report["short_term"]!["strategies"]!.AsArray();
        Assert.Equal(["full", "sliding-window", "summarize", "relevance"], strategies.Select(s => (string?)s!["strategy"]));
        Assert.All(strategies.Skip(1), s => Assert.True((double)s!["tokens_per_call"]! <= 600));
        var scale = Assert.Single(report["scale"]!.AsArray())!;
        Assert.Equal(1500, (int)scale["memories"]!);
        Assert.True((double)scale["ingest_per_s"]! > 0 && (double)scale["file_mb"]! > 0 && (double)scale["resident_mb"]! > 0);
    }

    [Fact]
    public async Task A_missing_or_malformed_dataset_and_a_bad_scale_are_usage_errors()
    {
        _dir.Write("bad.json", "{ \"not\": \"locomo\" }");

        var missing = await CliRunner.RunAsync(_dir.Path, "bench", "memory", "--data", "nope.json");
        var malformed = await CliRunner.RunAsync(_dir.Path, "bench", "memory", "--data", "bad.json");
        var scale = await CliRunner.RunAsync(_dir.Path, "bench", "memory", "--scale", "lots");

        Assert.All([missing, malformed, scale], r => Assert.Equal(2, r.ExitCode));
        Assert.Contains("nope.json", missing.Error);
        Assert.Contains("an array of samples", malformed.Error);
        Assert.Contains("--scale takes sizes like 10000,100k,1M", scale.Error);
    }
}
