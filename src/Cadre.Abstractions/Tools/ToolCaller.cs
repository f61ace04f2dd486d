using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// Who is calling a tool: the agent, and the run and step its turn belongs to. Cadre's invokers pass it in
/// <see cref="AIFunctionArguments.Context"/>; a <c>[Tool]</c> method that takes an <see cref="AIFunctionArguments"/>
/// parameter (which the model does not see) reads it with <see cref="Of"/> — so a tools project needs only
/// Cadre.Abstractions to know who called.
/// </summary>
/// <param name="Agent">The calling agent's name.</param>
/// <param name="RunId">The run's id ("" outside a workflow run).</param>
/// <param name="Step">The step's index within the run, from 1 (0 outside a workflow run).</param>
public sealed record ToolCaller(string Agent, string RunId, int Step)
{
    /// <summary>The call's idempotency key: the same call (same run, step, position and arguments) always has the same
    /// key, also when a resumed run repeats it, so a tool or the API behind it can de-duplicate — as a payment or mail
    /// API with an <c>Idempotency-Key</c> header does. Null outside a governed run.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>True when Cadre is repeating a call whose outcome is unknown (the process that made it died before it
    /// recorded the result); only tools declared idempotent are repeated.</summary>
    public bool IsRepeat { get; init; }

    /// <summary>The caller a governed or direct call passed with its arguments, if any.</summary>
    /// <param name="arguments">The arguments the tool was invoked with.</param>
    /// <returns>The caller, or null when the call came from elsewhere (a test invoking the function directly).</returns>
    public static ToolCaller? Of(AIFunctionArguments arguments) =>
        arguments?.Context is { } context && context.TryGetValue(typeof(ToolCaller), out var caller) ? caller as ToolCaller : null;

    /// <summary>Arguments for a call made by this caller.</summary>
    /// <returns>Arguments whose context carries this caller.</returns>
    public AIFunctionArguments Arguments(IDictionary<string, object?>? values) =>
        new(values) { Context = new Dictionary<object, object?> { [typeof(ToolCaller)] = this } };
}
