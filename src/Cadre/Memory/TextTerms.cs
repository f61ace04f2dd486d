using System.Collections.Frozen;

namespace Cadre.Memory;

/// <summary>
/// How memory texts are cut into terms for keyword search and the local embedder: lower-case runs of letters and
/// digits (as SQLite FTS5's <c>unicode61</c> tokenizer cuts them), a light English stemmer that folds plurals and
/// <c>-ed</c>/<c>-ing</c> forms (<c>prefers</c>, <c>preferred</c> → <c>prefer</c>), and a short list of English stop
/// words that carry no meaning on their own.
/// </summary>
public static class TextTerms
{
    private static readonly FrozenSet<string> StopWords = new[]
    {
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
        "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "he", "her", "here",
        "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "my", "of", "on", "or",
        "our", "ours", "she", "should", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these",
        "they", "this", "those", "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which",
        "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The lower-case words of a text, in order.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return words;
    }

    /// <summary>True for a word that carries no meaning on its own (<c>the</c>, <c>of</c>, ...).</summary>
    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>The search terms of a text: its words without stop words, stemmed, in order (repeats kept, so term
    /// frequency counts).</summary>
    public static IReadOnlyList<string> Keywords(string text) =>
        Words(text).Where(w => !IsStopWord(w)).Select(Stem).ToList();

    /// <summary>The distinct words of a query without stop words, not stemmed (for search engines that stem
    /// themselves, like FTS5's <c>porter</c> tokenizer).</summary>
    public static IReadOnlyList<string> QueryWords(string text) =>
        Words(text).Where(w => !IsStopWord(w)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A light English stemmer: folds plurals and <c>-ed</c>/<c>-ing</c> endings. It does not try to be
    /// Porter's; it only makes the common forms of a word meet.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
        {
            return word;
        }

        var w = word;
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4)
        {
            w = w[..^3] + "y";
        }
        else if (w.EndsWith("sses", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.EndsWith("es", StringComparison.Ordinal) && (w[^3] is 's' or 'x' or 'z' || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal)))
        {
            w = w[..^2];
        }
        else if (w[^1] == 's' && w[^2] is not ('s' or 'u' or 'i'))
        {
            w = w[..^1];
        }

        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length - 3 >= 3)
        {
            w = Undouble(w[..^3]);
        }
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length - 2 >= 3)
        {
            w = Undouble(w[..^2]);
        }

        return w;
    }

    private static string Undouble(string stem) =>
        stem.Length >= 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') && !"aeiou".Contains(stem[^1], StringComparison.Ordinal)
            ? stem[..^1]
            : stem;
}
