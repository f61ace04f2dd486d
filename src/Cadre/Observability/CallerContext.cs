namespace Cadre.Observability;

/// <summary>
/// Who is working on this async path: the agent, the run and step it works in, who watches the run and its clock.
/// It flows with the async call path (<see cref="Current"/>), so a component far from the agent — a model client
/// retrying, a circuit opening, a reducer summarising, a scripted model — can name the agent in the events it raises
/// and report them to the run's observer without the caller being threaded through every signature. An agent's turn
/// enters its context (<c>Cadre.Agents.AgentContext</c>, which is one) for the turn.
/// </summary>
public record CallerContext
{
    private static readonly AsyncLocal<CallerContext?> CurrentContext = new();

    /// <summary>The context of the caller working on this async path, if any.</summary>
    public static CallerContext? Current => CurrentContext.Value;

    /// <summary>The agent's name (an operator's or an MCP client's for calls made on their behalf).</summary>
    public required string Agent { get; init; }

    /// <summary>The run's id ("" outside a workflow run).</summary>
    public string RunId { get; init; } = "";

    /// <summary>The conversation the turn continues, when it is not a workflow run's thread (an Agent Framework
    /// session, an MCP client's call); reported as <c>gen_ai.conversation.id</c>, which is the run's id otherwise.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The step's index within the run, from 1 (0 outside a workflow run).</summary>
    public int Step { get; init; }

    /// <summary>Who watches the run.</summary>
    public IRunObserver Observer { get; init; } = RunObserver.None;

    /// <summary>The run's clock; a fake one in tests.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Makes <paramref name="context"/> the <see cref="Current"/> context until the returned scope is
    /// disposed.</summary>
    /// <param name="context">The context to enter.</param>
    /// <returns>A scope that restores the previous context.</returns>
    public static IDisposable Enter(CallerContext context)
    {
        var previous = CurrentContext.Value;
        CurrentContext.Value = context;
        return new Scope(previous);
    }

    /// <summary>Makes <paramref name="context"/> the <see cref="Current"/> context for the rest of the calling async
    /// method: an async method's changes to the ambient context end with it, so nothing needs restoring. Writes
    /// nothing when it is already current.</summary>
    internal static void Use(CallerContext context)
    {
        if (!ReferenceEquals(CurrentContext.Value, context))
        {
            CurrentContext.Value = context;
        }
    }

    private sealed class Scope(CallerContext? previous) : IDisposable
    {
        public void Dispose() => CurrentContext.Value = previous;
    }
}
