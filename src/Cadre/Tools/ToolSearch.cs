using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>A small inverted index over tools for <see cref="ToolRegistry.Search"/>: words from the name (weight 3),
/// category and tags (2), description and parameter names (1), each weighted by how rare it is among the tools
/// (inverse document frequency).</summary>
internal sealed class ToolSearch
{
    private readonly List<(AIFunction Tool, Dictionary<string, double> Words)> _entries = [];
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);

    public ToolSearch(IReadOnlyList<AIFunction> tools)
    {
        foreach (var tool in tools)
        {
            var descriptor = ToolDescriptor.Of(tool);
            var words = new Dictionary<string, double>(StringComparer.Ordinal);
            void Add(string? text, double weight)
            {
                foreach (var word in Words(text))
                {
                    words[word] = Math.Max(words.GetValueOrDefault(word), weight);
                }
            }

            Add(tool.Name, 3);
            Add(descriptor.Category, 2);
            Add(descriptor.Capability, 2);
            foreach (var tag in descriptor.Tags)
            {
                Add(tag, 2);
            }

            Add(tool.Description, 1);
            if (tool.JsonSchema.ValueKind == JsonValueKind.Object && tool.JsonSchema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    Add(property.Name, 1);
                }
            }

            foreach (var word in words.Keys)
            {
                _documentFrequency[word] = _documentFrequency.GetValueOrDefault(word) + 1;
            }

            _entries.Add((tool, words));
        }
    }

    public IEnumerable<ToolMatch> Rank(string query, Func<AIFunction, bool>? within)
    {
        var terms = Words(query).Distinct(StringComparer.Ordinal).ToList();
        var whole = query.Trim();
        var matches = new List<ToolMatch>();
        foreach (var (tool, words) in _entries)
        {
            if (within is not null && !within(tool))
            {
                continue;
            }

            var score = string.Equals(tool.Name, whole, StringComparison.OrdinalIgnoreCase) ? 10.0 : 0.0;
            foreach (var term in terms)
            {
                if (words.TryGetValue(term, out var weight))
                {
                    score += weight * Idf(term);
                    continue;
                }

                // A word that starts a tool's word ("invoic" → "invoice") counts half, the best one only.
                var prefix = term.Length < 3 ? 0 : words.Where(w => w.Key.StartsWith(term, StringComparison.Ordinal)).Select(w => w.Value * Idf(w.Key)).DefaultIfEmpty(0).Max();
                score += prefix / 2;
            }

            if (score > 0)
            {
                matches.Add(new ToolMatch(tool, Math.Round(score, 3)));
            }
        }

        return matches.OrderByDescending(m => m.Score).ThenBy(m => m.Tool.Name, StringComparer.Ordinal);
    }

    private double Idf(string word) => 1 + Math.Log((1.0 + _entries.Count) / (1.0 + _documentFrequency.GetValueOrDefault(word)));

    // Splits snake_case, kebab-case, camelCase and prose into lower-case words, with a crude plural fold.
    internal static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var boundary = !char.IsLetterOrDigit(c) || (start >= 0 && char.IsUpper(c) && i > 0 && char.IsLower(text[i - 1]));
            if (boundary && start >= 0)
            {
                var word = text[start..i].ToLowerInvariant();
                if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal))
                {
                    word = word[..^1];
                }

                if (word.Length > 1 && !StopWords.Contains(word))
                {
                    yield return word;
                }

                start = -1;
            }

            if (char.IsLetterOrDigit(c) && start < 0)
            {
                start = i;
            }
        }
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "to", "for", "and", "or", "in", "on", "by", "with", "is", "it", "its", "be", "as", "at", "from", "that", "this", "such",
    };
}
