using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>What one agent turn produced.</summary>
/// <param name="Agent">The name of the agent that ran the turn (the author of <paramref name="Messages"/>).</param>
/// <param name="Messages">The messages the turn added to the thread: the model's replies and the tool results, in
/// order, each with <see cref="ChatMessage.AuthorName"/> set to the agent.</param>
/// <param name="ToolCalls">Every tool call of the turn and how it ended.</param>
/// <param name="Usage">Tokens used by the turn's model calls.</param>
/// <param name="Duration">How long the turn took.</param>
/// <param name="Handoff">The handoff the agent asked for, if it handed the thread on.</param>
public sealed record AgentResponse(
    string Agent,
    IReadOnlyList<ChatMessage> Messages,
    IReadOnlyList<ToolCallRecord> ToolCalls,
    TokenUsage Usage,
    TimeSpan Duration,
    Handoff? Handoff)
{
    /// <summary>The agent's final text: the text of its last reply ("" when it only called tools).</summary>
    public string Text => Messages.LastOrDefault(m => m.Role == ChatRole.Assistant && !string.IsNullOrWhiteSpace(m.Text))?.Text ?? "";

    /// <summary>The worst degradation level that served the turn's model calls, when its model is a fallback chain
    /// (null otherwise).</summary>
    public ServedLevel? Level { get; init; }
}
