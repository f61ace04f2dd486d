using System.Text;
using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// How a shared thread looks to one agent. The agent's own messages (and its tool calls with their results) stay as
/// they are; what other agents said becomes user messages prefixed with their name, and their tool calls become a
/// one-line summary with the result. A model is never shown tool calls it did not make, for tools it may not have.
/// </summary>
public static class ConversationView
{
    /// <summary>Builds <paramref name="agent"/>'s view of <paramref name="thread"/>.</summary>
    /// <param name="agent">The agent's name, compared exactly with each message's author; messages without an author
    /// are shown as they are.</param>
    /// <param name="thread">The shared thread; assistant and tool messages carry their agent in
    /// <see cref="ChatMessage.AuthorName"/>.</param>
    public static IReadOnlyList<ChatMessage> For(string agent, IReadOnlyList<ChatMessage> thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (ShowsAsItIs(agent, thread))
        {
            return thread;
        }

        var results = thread
            .SelectMany(m => m.Contents.OfType<FunctionResultContent>())
            .GroupBy(r => r.CallId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var view = new List<ChatMessage>(thread.Count);
        foreach (var message in thread)
        {
            var author = message.AuthorName;
            var own = author is null || string.Equals(author, agent, StringComparison.Ordinal);
            if (own || message.Role == ChatRole.User || message.Role == ChatRole.System)
            {
                view.Add(message);
                continue;
            }

            if (message.Role == ChatRole.Tool)
            {
                continue; // shown with the call that asked for it
            }

            var text = new StringBuilder();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t when !string.IsNullOrWhiteSpace(t.Text):
                        text.Append('[').Append(author).Append("] ").AppendLine(t.Text.Trim());
                        break;
                    case FunctionCallContent c:
                        text.Append('[').Append(author).Append(" used ").Append(c.Name)
                            .Append(' ').Append(ToolResults.FormatArguments(c));
                        if (results.TryGetValue(c.CallId, out var result))
                        {
                            text.Append(" -> ").Append(ToolResults.Format(result.Result));
                        }

                        text.AppendLine("]");
                        break;
                }
            }

            if (text.Length > 0)
            {
                view.Add(new ChatMessage(ChatRole.User, text.ToString().TrimEnd()));
            }
        }

        return view;
    }

    /// <summary>Whether <paramref name="agent"/>'s view of <paramref name="thread"/> is the thread itself: the common
    /// case (one agent, or only the task so far), nothing to rewrite.</summary>
    internal static bool ShowsAsItIs(string agent, IReadOnlyList<ChatMessage> thread)
    {
        for (var i = 0; i < thread.Count; i++)
        {
            var message = thread[i];
            if (message.AuthorName is { } author
                && !string.Equals(author, agent, StringComparison.Ordinal)
                && message.Role != ChatRole.User
                && message.Role != ChatRole.System)
            {
                return false;
            }
        }

        return true;
    }
}
