namespace Cadre.Memory.Benchmarks;

/// <summary>Synthetic sentences for scale runs: words from a vocabulary of made-up words drawn with a Zipf
/// distribution (a few words are very common, most are rare), as in natural text.</summary>
internal sealed class SyntheticText
{
    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ren", "tu", "sa", "vor", "el", "din", "qua", "ti", "bro", "ne", "fal", "gu", "zi", "pa", "hem", "ost", "ri",
        "nu", "cal", "ve", "mor", "da", "lin", "so", "tek", "wa", "ju", "bel", "ran",
    ];

    private readonly Random _random;
    private readonly string[] _words;
    private readonly double[] _cumulative;

#pragma warning disable CA5394 // Benchmark data: reproducible from a seed, not security.
    public SyntheticText(int seed, int vocabulary = 30_000)
    {
        _random = new Random(seed);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < vocabulary)
        {
            var length = 1 + _random.Next(4);
            words.Add(string.Concat(Enumerable.Range(0, length).Select(_ => Syllables[_random.Next(Syllables.Length)])));
        }

        _words = [.. words];
        _cumulative = new double[vocabulary];
        var total = 0.0;
        for (var i = 0; i < vocabulary; i++)
        {
            total += 1.0 / Math.Pow(i + 1, 1.07);
            _cumulative[i] = total;
        }

        for (var i = 0; i < vocabulary; i++)
        {
            _cumulative[i] /= total;
        }
    }

    public int Next(int max) => _random.Next(max);

    public string Sentence(int minWords = 8, int maxWords = 24)
    {
        var count = minWords + _random.Next(maxWords - minWords + 1);
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => Word()));
    }

    /// <summary>A query made of <paramref name="words"/> distinct words of a text.</summary>
    public string QueryFrom(string text, int words) =>
        string.Join(' ', text.Split(' ').Distinct(StringComparer.Ordinal).OrderBy(_ => _random.Next()).Take(words));

    private string Word()
    {
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return _words[Math.Min(index < 0 ? ~index : index, _words.Length - 1)];
    }
#pragma warning restore CA5394
}
