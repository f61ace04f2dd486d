using System.Text;

namespace Cadre.Workflows;

/// <summary>Compares answers as text: exactly, or normalised (case, whitespace, punctuation and accents ignored, so
/// <c>"Paris."</c> and <c>"paris"</c> agree).</summary>
public sealed class TextAnswerComparer : IAnswerComparer
{
    private TextAnswerComparer(bool normalise)
    {
        Normalises = normalise;
    }

    /// <summary>Answers agree only when their text is the same.</summary>
    public static TextAnswerComparer Exact { get; } = new(normalise: false);

    /// <summary>Answers agree when they are the same after normalising.</summary>
    public static TextAnswerComparer Normalized { get; } = new(normalise: true);

    /// <summary>True when the comparer normalises before comparing.</summary>
    public bool Normalises { get; }

    /// <summary>Normalises an answer: lower case, accents removed, punctuation dropped, whitespace collapsed.</summary>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = new StringBuilder(answer.Length);
        var space = false;
        foreach (var c in answer.Normalize(NormalizationForm.FormD))
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark || char.IsPunctuation(c))
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<int>> GroupAsync(IReadOnlyList<string> answers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        IReadOnlyList<int> groups = answers
            .Select(a => Normalises ? Normalize(a) : a.Trim())
            .Select(key => keys.TryGetValue(key, out var group) ? group : keys[key] = keys.Count)
            .ToList();
        return ValueTask.FromResult(groups);
    }
}
