using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// Splits a history into groups that must be kept or dropped together: an assistant message that calls tools
/// together with the messages carrying those calls' results; every other message alone. Reducers drop whole
/// groups, so a tool call is never separated from its result.
/// </summary>
public static class MessageGroups
{
    /// <summary>Groups <paramref name="messages"/>, keeping their order.</summary>
    /// <returns>The groups, in order; concatenated they give back the history.</returns>
    public static IReadOnlyList<IReadOnlyList<ChatMessage>> Split(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var groups = new List<IReadOnlyList<ChatMessage>>();
        var i = 0;
        while (i < messages.Count)
        {
            var message = messages[i];
            var pending = message.Contents.OfType<FunctionCallContent>().Select(c => c.CallId).ToHashSet(StringComparer.Ordinal);
            var group = new List<ChatMessage> { message };
            i++;
            // Results follow their calls; take messages while they answer calls of this group.
            while (pending.Count > 0 && i < messages.Count)
            {
                var results = messages[i].Contents.OfType<FunctionResultContent>().Select(r => r.CallId).ToList();
                if (results.Count == 0 || !results.Any(pending.Contains))
                {
                    break;
                }

                pending.ExceptWith(results);
                group.Add(messages[i]);
                i++;
            }

            groups.Add(group);
        }

        return groups;
    }
}
