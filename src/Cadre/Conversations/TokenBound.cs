using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// An upper bound of what <see cref="TokenCounter"/> counts, found without a tokenizer. Its encodings are byte-level
/// BPE, so a text never has more tokens than UTF-8 bytes, and a UTF-16 char is at most 3 bytes (a surrogate pair, 2
/// chars, is 4); JSON escaping writes at most 6 chars for one. Content it cannot bound cheaply makes it give up.
/// </summary>
internal static class TokenBound
{
    /// <summary>Whether <paramref name="messages"/> surely cost at most <paramref name="budget"/> tokens.</summary>
    public static bool Fits(IReadOnlyList<ChatMessage> messages, int budget)
    {
        long total = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            total += TokenCounter.MessageOverhead + (message.AuthorName is { } name ? Text(name) + 1 : 0);
            var contents = message.Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                var bound = contents[j] switch
                {
                    TextContent t => Text(t.Text),
                    TextReasoningContent r => Text(r.Text),
                    FunctionCallContent c => Arguments(c.Arguments) is var a and >= 0 ? Text(c.Name) + a + 3 : -1,
                    FunctionResultContent r => Value(r.Result) is var v and >= 0 ? v + 3 : -1,
                    _ => 0,
                };
                if (bound < 0)
                {
                    return false;
                }

                total += bound;
            }

            if (total > budget)
            {
                return false;
            }
        }

        return true;
    }

    private static long Text(string? text) => 3L * (text?.Length ?? 0);

    private static long Arguments(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return 2;
        }

        long total = 2;
        foreach (var (name, value) in arguments)
        {
            var bound = Value(value);
            if (bound < 0)
            {
                return -1;
            }

            total += 2 * Text(name) + 4 + bound;
        }

        return total;
    }

    // A bound of the JSON text of a value (each char escaped at worst to 6, each of which is one byte), or -1.
    private static long Value(object? value) => value switch
    {
        null => 4,
        string s => 6L * s.Length + 2,
        bool => 5,
        int or long or short or byte or double or float or decimal => 40,
        JsonElement { ValueKind: JsonValueKind.String } e => 6L * e.GetString()!.Length + 2,
        JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null } => 5,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetRawText().Length,
        _ => -1,
    };
}
