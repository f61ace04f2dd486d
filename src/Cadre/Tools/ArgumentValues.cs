using System.Text.Json;

namespace Cadre.Tools;

/// <summary>
/// The values an approval rule's condition reads from a call's arguments, found by a path: an argument's name
/// (<c>to</c>), or a JSON path into it (<c>$.message.to</c>, <c>recipients[*].email</c>, <c>cc[0]</c>). A list gives
/// each element and an email-like text (one with an <c>@</c>) each address, so a rule sees every recipient, never one
/// string that merely contains a matching part. Property names match ignoring case and a name written twice gives
/// both values, so neither <c>"To"</c> nor a duplicate key slips past a condition.
/// </summary>
internal static class ArgumentValues
{
    private static readonly char[] AddressSeparators = [',', ';', ' ', '\t', '\r', '\n', '\f', '\v'];

    /// <summary>Checks a path's syntax.</summary>
    /// <returns>The problem, or null when the path is well formed.</returns>
    public static string? Problem(string path)
    {
        try
        {
            _ = Segments(path);
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The elements a path finds; null when it finds nothing a pattern can be matched against (a missing
    /// argument, a null, an object, an empty list).</summary>
    public static IReadOnlyList<string>? Read(JsonElement arguments, string path)
    {
        var current = new List<JsonElement> { arguments };
        foreach (var segment in Segments(path))
        {
            var next = new List<JsonElement>();
            foreach (var element in current)
            {
                switch (segment)
                {
                    case { Name: { } name } when element.ValueKind == JsonValueKind.Object:
                        next.AddRange(element.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value));
                        break;
                    case { Index: { } index } when element.ValueKind == JsonValueKind.Array:
                        if (index < element.GetArrayLength())
                        {
                            next.Add(element[index]);
                        }

                        break;
                    case { Name: null, Index: null } when element.ValueKind == JsonValueKind.Array:
                        next.AddRange(element.EnumerateArray());
                        break;
                }
            }

            current = next;
        }

        var values = new List<string>();
        foreach (var element in current)
        {
            if (!Leaves(element, values))
            {
                return null;
            }
        }

        return values.Count == 0 ? null : values;
    }

    // Adds what a pattern is matched against; false when the element holds something no pattern can vouch for.
    private static bool Leaves(JsonElement element, List<string> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (text.Contains('@', StringComparison.Ordinal))
                {
                    var parts = text.Split(AddressSeparators, StringSplitOptions.RemoveEmptyEntries);
                    values.AddRange(parts.Length == 0 ? [text] : parts);
                }
                else
                {
                    values.Add(text);
                }

                return true;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                values.Add(element.GetRawText());
                return true;
            case JsonValueKind.Array:
                var any = false;
                foreach (var item in element.EnumerateArray())
                {
                    any = true;
                    if (!Leaves(item, values))
                    {
                        return false;
                    }
                }

                return any;
            default:
                return false;
        }
    }

    private static List<(string? Name, int? Index)> Segments(string path)
    {
        var text = path.Trim();
        if (text.StartsWith('$'))
        {
            text = text[1..].TrimStart('.');
        }

        var segments = new List<(string? Name, int? Index)>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
                continue;
            }

            if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    throw new FormatException($"'{path}' has an unclosed '['.");
                }

                var inside = text[(i + 1)..close].Trim();
                if (inside == "*")
                {
                    segments.Add((null, null));
                }
                else if (int.TryParse(inside, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add((null, index));
                }
                else if (inside.Length > 1 && inside[0] is '\'' or '"' && inside[^1] == inside[0])
                {
                    segments.Add((inside[1..^1], null));
                }
                else
                {
                    throw new FormatException($"'{path}': [{inside}] must be [*], a position like [0] or a quoted name like ['to'].");
                }

                i = close + 1;
                continue;
            }

            var end = text.IndexOfAny(['.', '['], i);
            end = end < 0 ? text.Length : end;
            segments.Add((text[i..end], null));
            i = end;
        }

        if (segments.Count == 0)
        {
            throw new FormatException($"'{path}' names no argument.");
        }

        return segments;
    }
}
