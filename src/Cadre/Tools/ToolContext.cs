namespace Cadre.Tools;

/// <summary>
/// What a tool's code is told about the call it is running in, through <see cref="Current"/> (it flows with the async
/// call path, so a <c>[Tool]</c> method needs no extra parameter). Above all the call's
/// <see cref="IdempotencyKey"/>: pass it to the API you call (an <c>Idempotency-Key</c> header, a message id, a
/// unique column) so that a call repeated after a crash — which Cadre does only for tools declared idempotent — has
/// its effect once.
/// </summary>
/// <param name="IdempotencyKey">The call's key: <c>run/step/index</c>, the same however often the call is repeated.</param>
/// <param name="RunId">The run making the call ("" outside a run).</param>
/// <param name="Step">The run's step (0 outside a run).</param>
/// <param name="Agent">The calling agent.</param>
/// <param name="Tool">The tool being called.</param>
public sealed record ToolContext(string IdempotencyKey, string RunId, int Step, string Agent, string Tool)
{
    private static readonly AsyncLocal<ToolContext?> CurrentContext = new();

    /// <summary>The call this code runs in, or null outside a governed tool call.</summary>
    public static ToolContext? Current => CurrentContext.Value;

    /// <summary>True when the call is repeated under the same key because an earlier attempt's outcome is unknown
    /// (its process stopped between reserving and recording it): the API may already have done it.</summary>
    public bool IsRepeat { get; init; }

    /// <summary>Makes <paramref name="context"/> the <see cref="Current"/> call until the returned scope is disposed.</summary>
    /// <param name="context">The call.</param>
    /// <returns>A scope that restores the previous call.</returns>
    public static IDisposable Enter(ToolContext context)
    {
        var previous = CurrentContext.Value;
        CurrentContext.Value = context;
        return new Scope(previous);
    }

    private sealed class Scope(ToolContext? previous) : IDisposable
    {
        public void Dispose() => CurrentContext.Value = previous;
    }
}
