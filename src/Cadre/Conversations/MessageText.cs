using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>Messages as plain text for models and rankers that read transcripts (summaries, relevance), and stable
/// hashes of message groups.</summary>
public static class MessageText
{
    /// <summary>One message as transcript lines: <c>user: ...</c>, <c>assistant (billing): ...</c>,
    /// <c>assistant (billing) called lookup_invoice {"invoiceId":"INV-1001"}</c>, <c>tool result: ...</c>.</summary>
    public static string Render(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var who = message.Role.Value + (string.IsNullOrEmpty(message.AuthorName) ? "" : $" ({message.AuthorName})");
        var text = new StringBuilder();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent t when !string.IsNullOrWhiteSpace(t.Text):
                    text.Append(who).Append(": ").AppendLine(t.Text.Trim());
                    break;
                case FunctionCallContent c:
                    text.Append(who).Append(" called ").Append(c.Name).Append(' ').AppendLine(ToolResults.FormatArguments(c));
                    break;
                case FunctionResultContent r:
                    text.Append("tool result: ").AppendLine(ToolResults.Format(r.Result));
                    break;
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>A group of messages as transcript text.</summary>
    public static string Render(IEnumerable<ChatMessage> messages) =>
        string.Join('\n', (messages ?? throw new ArgumentNullException(nameof(messages))).Select(Render).Where(t => t.Length > 0));

    /// <summary>A stable hash of a group's content (roles, authors, text, calls, results; not call ids).</summary>
    public static string Hash(IEnumerable<ChatMessage> messages) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Render(messages))))[..32];
}
