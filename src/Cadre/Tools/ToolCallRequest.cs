using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>One tool call a model asked for, with everything an <see cref="IToolInvoker"/> needs to decide and
/// carry it out.</summary>
/// <param name="Context">The agent turn the call belongs to (agent, run, step).</param>
/// <param name="Call">The call as the model sent it.</param>
/// <param name="Tools">The tools the agent was given for this turn.</param>
/// <param name="Index">The call's position among the calls of this turn, from 0; with the run and step it makes an
/// idempotency key that stays the same when a run is resumed.</param>
public sealed record ToolCallRequest(
    ToolCallContext Context,
    FunctionCallContent Call,
    IReadOnlyList<AIFunction> Tools,
    int Index)
{
    /// <summary>A key that names this call within its run and stays the same if the run is resumed:
    /// <c>run/step/index</c>, or <c>parent/index</c> for a call made inside another call (a chain's step).</summary>
    public string IdempotencyKey => Key ?? (Parent is null ? $"{Context.RunId}/{Context.Step}/{Index}" : $"{Parent}/{Index}");

    /// <summary>A key given explicitly, replacing the one made from run, step and index (the ledger gives a call that
    /// differs from the one recorded under its position a key of its own).</summary>
    public string? Key { get; init; }

    /// <summary>The key of the call this one is made within (a tool chain's steps are made within the chain's call),
    /// or null for a call the model made.</summary>
    public string? Parent { get; init; }

    /// <summary>True when the call is made again under its key because an earlier attempt's outcome is unknown.</summary>
    public bool IsRepeat { get; init; }

    /// <summary>Who makes the call and under which key, as the tool reads it from its arguments
    /// (<see cref="ToolCaller.Of"/>). Outside a run (<c>cadre tools call</c>) the key is null unless one was given:
    /// every such call would otherwise share the key <c>/0/0</c> and a de-duplicating tool would make only the first.</summary>
    /// <returns>A new caller with the context's agent, run id and step, and the key as described.</returns>
    public ToolCaller Caller() => new(Context.Agent, Context.RunId, Context.Step)
    {
        IdempotencyKey = Context.RunId.Length > 0 || Key is not null ? IdempotencyKey : null,
        IsRepeat = IsRepeat,
    };

    /// <summary>Offers a tool to the model for the rest of the turn: a discovery tool calls it for the tools it found.
    /// Null when the caller cannot offer tools.</summary>
    public Action<AIFunction>? Offer { get; init; }

    /// <summary>What the governed steps decided so far, carried across a step of the user's own
    /// (<see cref="Tools.DelegatingToolInvoker"/>); null on a request no governed step has seen.</summary>
    internal object? Governed { get; init; }
}
