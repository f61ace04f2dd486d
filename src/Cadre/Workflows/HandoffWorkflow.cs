using Cadre.Agents;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>
/// Handoff (L1 → L2 → L3): the start agent takes the task and may hand the thread to another agent with a note;
/// that agent may hand it on. The first agent that answers without handing off ends the run with its answer.
/// </summary>
public sealed class HandoffWorkflow : Workflow
{
    private readonly Dictionary<string, IReadOnlyList<string>> _routes = new(StringComparer.Ordinal);

    /// <summary>Creates the workflow; every agent may hand off to every other until <see cref="Route"/> narrows it.</summary>
    public HandoffWorkflow(Agent start, IReadOnlyList<Agent> specialists)
        : base([start ?? throw new ArgumentNullException(nameof(start)), .. specialists ?? []])
    {
        Start = start;
    }

    /// <inheritdoc />
    public override string Kind => "handoff";

    /// <summary>The agent that takes the task first (the first of <see cref="Workflow.Agents"/>).</summary>
    public Agent Start { get; }

    /// <summary>The most handoffs a run may make before it fails (default 8).</summary>
    public int MaxHandoffs { get; init; } = 8;

    /// <summary>Limits whom <paramref name="from"/> may hand off to.</summary>
    /// <param name="from">The agent handing off.</param>
    /// <param name="to">The agents it may hand to (none: it must answer).</param>
    public HandoffWorkflow Route(string from, params IReadOnlyList<string> to)
    {
        GetAgent(from);
        foreach (var target in to)
        {
            GetAgent(target);
        }

        _routes[from] = to;
        return this;
    }

    /// <inheritdoc />
    protected override WorkflowState InitialState(string task) => new() { Task = task, NextAgent = Start.Name };

    /// <inheritdoc />
    protected override WorkflowState Advance(WorkflowState state, AgentResponse response)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(response);
        if (response.Handoff is not { } handoff)
        {
            return state with { NextAgent = null, Notes = [], Answer = response.Text };
        }

        if (state.Handoffs >= MaxHandoffs)
        {
            throw new WorkflowException($"The run reached its limit of {MaxHandoffs} handoffs ({response.Agent} tried to hand off to {handoff.To}).");
        }

        var note = $"{response.Agent} handed this conversation to you. Their note: {handoff.Note}";
        return state with { NextAgent = handoff.To, Notes = [note], Handoffs = state.Handoffs + 1 };
    }

    /// <inheritdoc />
    protected override IReadOnlyList<HandoffTarget> HandoffTargetsFor(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var names = _routes.TryGetValue(agent.Name, out var route)
            ? route
            : Agents.Where(a => a.Name != agent.Name).Select(a => a.Name).ToList();
        return names.Select(n => GetAgent(n)).Select(a => new HandoffTarget(a.Name, a.Description.Length > 0 ? a.Description : a.Instructions)).ToList();
    }
}
