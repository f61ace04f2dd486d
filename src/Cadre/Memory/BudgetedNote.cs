using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>Builds the system message a context provider adds: a header and as many lines as fit a token budget, in
/// order.</summary>
internal static class BudgetedNote
{
    /// <summary>The message, or null when no line fits (or there is none).</summary>
    public static ChatMessage? Build(string header, IEnumerable<string> lines, int maxTokens, ITokenCounter counter)
    {
        var text = header;
        var count = 0;
        foreach (var line in lines)
        {
            var candidate = text + "\n- " + line;
            if (counter.CountTokens(new ChatMessage(ChatRole.System, candidate)) > maxTokens)
            {
                continue;
            }

            text = candidate;
            count++;
        }

        return count == 0 ? null : new ChatMessage(ChatRole.System, text);
    }
}
