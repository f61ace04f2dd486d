using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Cadre.Conversations;
using Microsoft.ML.Tokenizers;

namespace Cadre.Benchmarks;

/// <summary>
/// Counting the tokens of hostile text (one long run without white space, as a tool or MCP server could return) and of
/// ordinary prose, side by side in one process: the tiktoken tokenizer called on the whole text (the baseline, what
/// Cadre did before) and <see cref="TokenCounter"/>, which counts long text in pieces of at most 1,024 characters.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TokenCountingBenchmarks
{
    private readonly Tokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
    private string _text = "";

    /// <summary>The text's length in characters.</summary>
    [Params(10_000, 40_000)]
    public int Length { get; set; }

    /// <summary><c>unbroken</c> (letters without a space) or <c>prose</c> (words and spaces).</summary>
    [Params("unbroken", "prose")]
    public string Kind { get; set; } = "";

    /// <summary>Builds the text of the given kind and length once, outside the measurement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string[] words = ["refund", "charge", "invoice", "customer", "ticket", "duplicate", "card", "billing"];
        _text = Kind == "unbroken"
            ? string.Concat(Enumerable.Range(0, Length).Select(i => (char)('a' + (i * 31 % 26))))
            : string.Join(' ', Enumerable.Range(0, Length).Select(i => words[(i * 7) % words.Length]))[..Length];
    }

    /// <summary>The tokenizer on the whole text at once.</summary>
    /// <returns>The count.</returns>
    [Benchmark(Baseline = true)]
    public int WholeText() => _tokenizer.CountTokens(_text);

    /// <summary>Cadre's counter, in pieces.</summary>
    /// <returns>The count.</returns>
    [Benchmark]
    public int InPieces() => TokenCounter.Default.CountTokens(_text);
}
