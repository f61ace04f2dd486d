using Cadre.Agents;
using Cadre.Observability;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Agents.AI;
using CadreAgent = Cadre.Agents.Agent;

namespace Cadre.AgentFramework;

/// <summary>Crossings between Cadre and Microsoft Agent Framework, both ways.</summary>
public static class AgentFrameworkExtensions
{
    /// <summary>Runs this Cadre agent as an Agent Framework <see cref="AIAgent"/>: its governed tools, context
    /// providers and context window stay; a session is a Cadre conversation.</summary>
    /// <param name="agent">The Cadre agent that takes the turns, with its tools and instructions as they are.</param>
    /// <param name="workspace">Where conversations, the tool ledger and the audit live; none keeps history in the
    /// session and lets the governed path audit nowhere.</param>
    /// <param name="observer">Who watches the turns' tool calls; nobody when null.</param>
    /// <param name="time">The clock of the turns and of the responses' <c>CreatedAt</c>; the system's when null.</param>
    /// <returns>A new adapter each call; sessions made by one are not known to another unless a workspace keeps them.</returns>
    public static CadreAIAgent AsAIAgent(this CadreAgent agent, IWorkspace? workspace = null, IRunObserver? observer = null, TimeProvider? time = null) =>
        new(agent, workspace, observer, time);

    /// <summary>Makes an Agent Framework agent a participant of Cadre workflows (sequential, handoff, supervisor,
    /// group chat): each of its turns runs the AIAgent on the Cadre agent's view of the thread, and the workflow
    /// checkpoints the thread after it as after any step, so a run resumes the same way.</summary>
    /// <param name="agent">The AIAgent (a <see cref="ChatClientAgent"/> is also given Cadre's handoff tool).</param>
    /// <param name="name">Its name in the workflow; the AIAgent's name when null.</param>
    /// <param name="toolInvoker">How tool calls are made: Cadre's governed path when null. A
    /// <see cref="ChatClientAgent"/>'s own tools are called through it too, as this Cadre agent (grants, approval,
    /// ledger, audit); another AIAgent's tools stay its own business.</param>
    /// <returns>A Cadre agent with no instructions or tools of its own: the AIAgent has them.</returns>
    /// <exception cref="ArgumentException">Neither a name nor the AIAgent's name is usable as a Cadre agent name.</exception>
    public static CadreAgent AsCadreAgent(this AIAgent agent, string? name = null, IToolInvoker? toolInvoker = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var chosen = name ?? CadreName(agent.Name);
        var model = new AIAgentChatClient(agent);
        var adapted = new CadreAgent(chosen, model, "").WithDescription(agent.Description ?? "");
        adapted = toolInvoker is null ? adapted : adapted.WithToolInvoker(toolInvoker);
        model.ToolInvoker = adapted.ToolInvoker;
        return adapted;
    }

    /// <summary>Adapts a Cadre context provider to Agent Framework (for a <see cref="ChatClientAgent"/>'s
    /// <c>AIContextProviders</c>).</summary>
    /// <returns>A new adapter over <paramref name="provider"/>: its system messages become the run's additional
    /// instructions, never stored in the session's history.</returns>
    public static AIContextProvider AsAIContextProvider(this IAgentContextProvider provider) => new CadreContextProvider(provider);

    /// <summary>Adapts an Agent Framework context provider to Cadre (for <see cref="CadreAgent.WithContext"/>).</summary>
    /// <param name="provider">The Agent Framework provider; what it adds is sent as system messages with each model call.</param>
    /// <param name="agent">The AIAgent the provider is told it serves: usually the Cadre agent's
    /// <see cref="AsAIAgent"/>.</param>
    /// <returns>A new adapter that keeps the provider's session state per conversation (or per run outside one).</returns>
    public static IAgentContextProvider AsCadreContextProvider(this AIContextProvider provider, AIAgent agent) => new AgentFrameworkContextProvider(provider, agent);

    // Agent Framework names are free text; a Cadre name is letters, digits, '-' and '_'.
    internal static string CadreName(string? name)
    {
        var cleaned = new string((name ?? "").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray()).Trim('_');
        return cleaned.Length == 0 ? "agent" : cleaned;
    }
}
