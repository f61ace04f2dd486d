using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>What an <see cref="IAgentContextProvider"/> is told before a model call.</summary>
/// <param name="Context">The agent turn (agent, run, step).</param>
/// <param name="Instructions">The agent's instructions (system prompt), for reading: the request already starts with
/// them, so a provider need not add them.</param>
/// <param name="History">The agent's view of the thread so far.</param>
public sealed record AgentContextRequest(AgentContext Context, string Instructions, IReadOnlyList<ChatMessage> History)
{
    /// <summary>The text of the latest user message, the usual query for recall ("" when there is none).</summary>
    public string LatestUserText => History.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
}
