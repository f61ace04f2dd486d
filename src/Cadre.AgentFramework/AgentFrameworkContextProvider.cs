using System.Collections.Concurrent;
using Cadre.Agents;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Cadre.AgentFramework;

/// <summary>
/// An Agent Framework <see cref="AIContextProvider"/> as a Cadre <see cref="IAgentContextProvider"/>: before each
/// model call of a turn it is invoked with the agent's view of the thread, and what it adds — instructions and
/// messages — is sent as system messages. Its session state lives in one <see cref="CadreAgentSession"/> per
/// conversation (the run, or the AIAgent session), so a provider that remembers across calls keeps doing so.
/// </summary>
public sealed class AgentFrameworkContextProvider : IAgentContextProvider
{
    private readonly AIContextProvider _provider;
    private readonly AIAgent _agent;
    private readonly ConcurrentDictionary<string, CadreAgentSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Adapts <paramref name="provider"/>; its sessions start empty.</summary>
    /// <param name="provider">The Agent Framework provider; what it adds is sent as system messages with each model call.</param>
    /// <param name="agent">The AIAgent the provider is told it serves (the Cadre agent as an AIAgent).</param>
    public AgentFrameworkContextProvider(AIContextProvider provider, AIAgent agent)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(agent);
        _provider = provider;
        _agent = agent;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ChatMessage>> ProvideAsync(AgentContextRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.Context.ConversationId ?? request.Context.RunId;
        var session = _sessions.GetOrAdd(key.Length == 0 ? "-" : key, k => new CadreAgentSession(k));
        var asked = new AIContext { Messages = request.History };
        var given = await _provider.InvokingAsync(new AIContextProvider.InvokingContext(_agent, session, asked), cancellationToken);
        var added = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(given.Instructions))
        {
            added.Add(new ChatMessage(ChatRole.System, given.Instructions));
        }

        var known = request.History.ToHashSet();
        foreach (var message in given.Messages ?? [])
        {
            if (!known.Contains(message) && message.Text.Length > 0)
            {
                added.Add(new ChatMessage(ChatRole.System, message.Text));
            }
        }

        return added;
    }
}
