using System.Globalization;
using System.Text;
using Cadre.Conversations;

namespace Cadre.Tools;

/// <summary>
/// How much of one tool result reaches the model: at most <see cref="MaxBytes"/> UTF-8 bytes and
/// <see cref="MaxTokens"/> tokens. A longer result is cut and ends with a note saying how much was cut, so a tool (or
/// an MCP server) that returns megabytes can neither flood the context window nor stall the run counting it.
/// </summary>
public sealed record ToolResultBudget
{
    /// <summary>The most bytes (UTF-8) of a result that are kept (default 64 KiB).</summary>
    public int MaxBytes { get; init; } = 64 * 1024;

    /// <summary>The most tokens of a result that are kept (default 8,000, well inside the context budgets agents
    /// usually have, since the newest results are never dropped from the context).</summary>
    public int MaxTokens { get; init; } = 8_000;

    /// <summary>Counts tokens; <see cref="TokenCounter.Default"/> when null.</summary>
    public ITokenCounter? Counter { get; init; }

    /// <summary>Fits a result into the budget.</summary>
    /// <param name="text">The tool's result as the model would read it.</param>
    /// <returns>The result itself when it fits; else its beginning and a note saying how much was cut.</returns>
    public string Fit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetByteCount(text);
        // A byte-level tokenizer never makes more tokens than bytes, so short results need no count.
        if (bytes <= MaxBytes && bytes <= MaxTokens)
        {
            return text;
        }

        var counter = Counter ?? TokenCounter.Default;
        var kept = bytes <= MaxBytes ? text : Prefix(text, MaxBytes);
        var tokens = counter.CountTokens(kept);
        if (kept.Length == text.Length && tokens <= MaxTokens)
        {
            return text;
        }

        var totalTokens = kept.Length == text.Length ? tokens : (int?)null;
        for (var attempt = 0; tokens > MaxTokens && attempt < 8; attempt++)
        {
            kept = Prefix(kept, (int)(Encoding.UTF8.GetByteCount(kept) * (double)MaxTokens / tokens * 0.95));
            tokens = counter.CountTokens(kept);
        }

        var size = totalTokens is { } all ? $"{bytes:N0} bytes, {all:N0} tokens" : $"{bytes:N0} bytes";
        return kept + string.Create(CultureInfo.InvariantCulture,
            $"\n[cut: the result was {size}; only the first {Encoding.UTF8.GetByteCount(kept):N0} bytes are shown, {bytes - Encoding.UTF8.GetByteCount(kept):N0} bytes were cut. Ask for less (a narrower query, a page) if you need the rest.]");
    }

    // The longest beginning of the text within a number of UTF-8 bytes, never splitting a character.
    private static string Prefix(string text, int maxBytes)
    {
        var encoder = Encoding.UTF8.GetEncoder();
        var chars = text.AsSpan();
        var buffer = new byte[Math.Max(maxBytes, 4)];
        encoder.Convert(chars, buffer.AsSpan(0, Math.Max(maxBytes, 0)), flush: true, out var used, out _, out _);
        var end = used;
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }
}
