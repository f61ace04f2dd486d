using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>
/// Adds context to an agent's model calls: recalled memories, lessons from past episodes, notes. Called before
/// every model call of a turn; what it returns is sent as system messages after the agent's instructions and
/// counts against the agent's context window.
/// </summary>
public interface IAgentContextProvider
{
    /// <summary>Returns the messages to add for this model call (none is fine).</summary>
    /// <param name="request">The agent, its run and what it is about to send.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>System messages to add.</returns>
    ValueTask<IReadOnlyList<ChatMessage>> ProvideAsync(AgentContextRequest request, CancellationToken cancellationToken);
}
