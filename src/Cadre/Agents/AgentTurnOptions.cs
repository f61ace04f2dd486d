using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>How one agent turn runs within a workflow: its context, who it may hand off to, and notes for it.</summary>
public sealed record AgentTurnOptions
{
    /// <summary>The run and step the turn belongs to; a context with no run when null.</summary>
    public AgentContext? Context { get; init; }

    /// <summary>Agents this agent may hand the thread to. When not empty the agent is given a <c>handoff</c> tool.</summary>
    public IReadOnlyList<HandoffTarget> HandoffTargets { get; init; } = [];

    /// <summary>Notes for this turn only (a handoff note, say), sent as system messages after the instructions.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Extra chat options for this turn (temperature, max output tokens); merged over the agent's own.</summary>
    public ChatOptions? ChatOptions { get; init; }
}
