using Cadre.Agents;
using Microsoft.Agents.AI;

namespace Cadre.AgentFramework;

/// <summary>
/// A Cadre <see cref="IAgentContextProvider"/> (memory recall, lessons, notes) as an Agent Framework
/// <see cref="AIContextProvider"/>: before each run it is asked with the run's messages and its system messages
/// become the run's additional instructions, which are not stored in the session's history — as in Cadre, where
/// provided context is sent with every call and never kept in the thread.
/// </summary>
public sealed class CadreContextProvider : AIContextProvider
{
    private readonly IAgentContextProvider _provider;

    /// <summary>Adapts <paramref name="provider"/>, which is asked before each run with the run's messages and, in a
    /// <see cref="CadreAgentSession"/>, its conversation id.</summary>
    public CadreContextProvider(IAgentContextProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
    }

    /// <inheritdoc />
    protected override async ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var history = context.AIContext.Messages?.ToList() ?? [];
        var agent = AgentFrameworkExtensions.CadreName(context.Agent.Name);
        var request = new AgentContextRequest(
            new AgentContext { Agent = agent, ConversationId = (context.Session as CadreAgentSession)?.ConversationId },
            context.AIContext.Instructions ?? "",
            history);
        var provided = await _provider.ProvideAsync(request, cancellationToken);
        var text = string.Join("\n\n", provided.Select(m => m.Text).Where(t => !string.IsNullOrWhiteSpace(t)));
        return new AIContext { Instructions = text.Length == 0 ? null : text };
    }
}
