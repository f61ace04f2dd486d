using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>What a governed invoker adds to an agent's turn.</summary>
public static class GovernedToolInvokerExtensions
{
    /// <summary>A context provider that shows an agent, before each model call, its background jobs of the run and
    /// the results of those that finished, so results reach the agent when they are ready.</summary>
    /// <param name="invoker">The invoker whose jobs to show.</param>
    /// <returns>The provider; add it with <see cref="Agent.WithContext"/>.</returns>
    public static IAgentContextProvider CreateJobUpdates(this GovernedToolInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        return new JobUpdates(invoker);
    }

    private sealed class JobUpdates(GovernedToolInvoker invoker) : IAgentContextProvider
    {
        public ValueTask<IReadOnlyList<ChatMessage>> ProvideAsync(AgentContextRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            return invoker.JobUpdatesAsync(request.Context, cancellationToken);
        }
    }
}
