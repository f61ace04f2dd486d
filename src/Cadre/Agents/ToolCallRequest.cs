using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>One tool call a model asked for, with everything an <see cref="IToolInvoker"/> needs to decide and
/// carry it out.</summary>
/// <param name="Context">The agent turn the call belongs to (agent, run, step).</param>
/// <param name="Call">The call as the model sent it.</param>
/// <param name="Tools">The tools the agent was given for this turn.</param>
/// <param name="Index">The call's position among the calls of this turn, from 0; with the run and step it makes an
/// idempotency key that stays the same when a run is resumed.</param>
public sealed record ToolCallRequest(
    AgentContext Context,
    FunctionCallContent Call,
    IReadOnlyList<AIFunction> Tools,
    int Index)
{
    /// <summary>A key that names this call within its run and stays the same if the run is resumed:
    /// <c>run/step/index</c>.</summary>
    public string IdempotencyKey => $"{Context.RunId}/{Context.Step}/{Index}";
}
