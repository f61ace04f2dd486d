using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Cadre.AgentFramework;

/// <summary>
/// A session of a <see cref="CadreAIAgent"/>: one Cadre conversation. With a workspace its messages live in the
/// workspace's conversation store under <see cref="ConversationId"/>, so a serialised session is only that id;
/// without one they live here and travel with the serialised session.
/// </summary>
public sealed class CadreAgentSession : AgentSession
{
    private readonly List<ChatMessage> _messages = [];

    /// <summary>Creates a session for a conversation.</summary>
    /// <param name="conversationId">The conversation's id (the session id of the agent's spans).</param>
    public CadreAgentSession(string conversationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        ConversationId = conversationId;
    }

    /// <summary>The id the conversation is stored under in a workspace, and all a serialised session holds when a workspace keeps the messages.</summary>
    public string ConversationId { get; }

    /// <summary>The messages kept in the session (empty when a workspace keeps them).</summary>
    public IReadOnlyList<ChatMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    internal void Append(IEnumerable<ChatMessage> messages)
    {
        lock (_messages)
        {
            _messages.AddRange(messages);
        }
    }

    internal static CadreAgentSession From(AgentSession session) =>
        session as CadreAgentSession
        ?? throw new ArgumentException($"A Cadre agent runs on its own sessions (CreateSessionAsync), not on a {session.GetType().Name}.", nameof(session));

    internal JsonElement Serialize(bool keepMessages)
    {
        var state = new JsonObject { ["conversationId"] = ConversationId };
        if (keepMessages)
        {
            state["messages"] = JsonSerializer.SerializeToNode(Messages, AIJsonUtilities.DefaultOptions);
        }

        return JsonSerializer.SerializeToElement(state, AIJsonUtilities.DefaultOptions);
    }

    internal static CadreAgentSession Deserialize(JsonElement state)
    {
        if (state.ValueKind != JsonValueKind.Object
            || !state.TryGetProperty("conversationId", out var id)
            || id.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(id.GetString()))
        {
            throw new JsonException("A serialised Cadre agent session is an object with a conversationId.");
        }

        var session = new CadreAgentSession(id.GetString()!);
        if (state.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            session.Append(messages.Deserialize<List<ChatMessage>>(AIJsonUtilities.DefaultOptions) ?? []);
        }

        return session;
    }
}
