using System.Globalization;

namespace Cadre.Tools;

/// <summary>How often a tool may be called: at most <paramref name="Permits"/> calls in any window of
/// <paramref name="Window"/> (a fixed window that starts with the first call).</summary>
/// <param name="Permits">Calls allowed per window (at least 1).</param>
/// <param name="Window">How long one window lasts (<c>10/min</c> is one minute, <c>3/30s</c> thirty seconds).</param>
public sealed record ToolRateLimit(int Permits, TimeSpan Window)
{
    /// <summary>Reads a limit written as <c>permits/unit</c>: <c>10/min</c>, <c>5/s</c>, <c>100/hour</c>,
    /// <c>3/30s</c>.</summary>
    /// <exception cref="FormatException">The text is not a limit; the message shows the format.</exception>
    public static ToolRateLimit Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/', 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var permits) && permits > 0
            && ParseWindow(parts[1]) is { } window)
        {
            return new ToolRateLimit(permits, window);
        }

        throw new FormatException($"'{text}' is not a rate limit; write calls/period, such as 10/min, 5/s, 100/hour or 3/30s.");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Permits} per {Describe(Window)}";

    internal static string Describe(TimeSpan window) => window switch
    {
        { TotalHours: 1 } => "hour",
        { TotalMinutes: 1 } => "minute",
        { TotalSeconds: 1 } => "second",
        { TotalSeconds: < 60 } => window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " seconds",
        _ => window.TotalMinutes.ToString("0.###", CultureInfo.InvariantCulture) + " minutes",
    };

    private static TimeSpan? ParseWindow(string unit)
    {
        var digits = 0;
        while (digits < unit.Length && (char.IsAsciiDigit(unit[digits]) || unit[digits] == '.'))
        {
            digits++;
        }

        var count = 1.0;
        if (digits > 0 && !double.TryParse(unit[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out count))
        {
            return null;
        }

        TimeSpan? one = unit[digits..].Trim().ToLowerInvariant() switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" or "sec" or "second" or "seconds" => TimeSpan.FromSeconds(1),
            "m" or "min" or "minute" or "minutes" => TimeSpan.FromMinutes(1),
            "h" or "hour" or "hours" => TimeSpan.FromHours(1),
            "d" or "day" or "days" => TimeSpan.FromDays(1),
            _ => null,
        };
        return one is { } u && count > 0 ? u * count : null;
    }
}
