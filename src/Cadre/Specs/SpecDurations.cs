using System.Globalization;

namespace Cadre.Specs;

/// <summary>Durations as specs and the command line write them: <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>250ms</c>, or
/// plain seconds.</summary>
public static class SpecDurations
{
    /// <summary>Reads a duration without throwing; case and surrounding spaces are ignored.</summary>
    /// <param name="text">A number with <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>, or a plain number of seconds
    /// (<c>1.5m</c> is allowed); null or blank is not a duration.</param>
    /// <param name="duration">The duration, when the text is one.</param>
    /// <returns>True when the text is a positive duration.</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim().ToLowerInvariant();
        var (number, unit) = trimmed.EndsWith("ms", StringComparison.Ordinal) ? (trimmed[..^2], 0.001)
            : trimmed.EndsWith('s') ? (trimmed[..^1], 1.0)
            : trimmed.EndsWith('m') ? (trimmed[..^1], 60.0)
            : trimmed.EndsWith('h') ? (trimmed[..^1], 3600.0)
            : (trimmed, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || double.IsInfinity(value))
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * unit);
        return true;
    }
}
