using Cadre.Observability;

namespace Cadre.Agents;

/// <summary>
/// Where an agent turn runs: the run and step it belongs to, the observer that watches it and the clock. Flows with
/// the async call path (<see cref="Current"/>), so components far from the agent — a scripted model, a recording
/// cassette, a tool — can tell which agent is working without it being threaded through every signature.
/// </summary>
public sealed record AgentContext
{
    private static readonly AsyncLocal<AgentContext?> CurrentContext = new();

    /// <summary>The context of the agent turn running on this async path, if any.</summary>
    public static AgentContext? Current => CurrentContext.Value;

    /// <summary>The agent's name.</summary>
    public required string Agent { get; init; }

    /// <summary>The run's id ("" outside a workflow run).</summary>
    public string RunId { get; init; } = "";

    /// <summary>The conversation the turn continues, when it is not a workflow run's thread (an Agent Framework
    /// session, an MCP client's call); reported as <c>gen_ai.conversation.id</c>, which is the run's id otherwise.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The step's index within the run, from 1 (0 outside a workflow run).</summary>
    public int Step { get; init; }

    /// <summary>The epoch under which this process owns the run (<see cref="Cadre.Workflows.RunLease.Epoch"/>; 0 outside
    /// a run or for a run never claimed). Side-effecting calls reserve their key in the ledger under it.</summary>
    public long Epoch { get; init; }

    /// <summary>Where the runtime reports reaching a fault point (a crash harness); none when null.</summary>
    public Cadre.Resilience.IFaultInjector? Faults { get; init; }

    /// <summary>True when a person decided that side-effecting calls whose outcome is unknown may be made again under
    /// their keys even though their tools are not idempotent (<c>cadre resume --repeat-unknown</c>).</summary>
    public bool RepeatUnknownOutcomes { get; init; }

    /// <summary>Who watches the run.</summary>
    public IRunObserver Observer { get; init; } = RunObserver.None;

    /// <summary>The run's clock; a fake one in tests.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where long work reports that it is still making progress (a tool paging through results, say):
    /// <c>AgentContext.Current?.Progress?.Report("page 3 of 10")</c>. A supervisor counts it as a heartbeat.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>The workspace of the run (its ledger, stores), if the turn belongs to one.</summary>
    public Cadre.Workspaces.IWorkspace? Workspace { get; init; }

    /// <summary>Makes <paramref name="context"/> the <see cref="Current"/> context until the returned scope is
    /// disposed.</summary>
    /// <param name="context">The context to enter.</param>
    /// <returns>A scope that restores the previous context.</returns>
    public static IDisposable Enter(AgentContext context)
    {
        var previous = CurrentContext.Value;
        CurrentContext.Value = context;
        return new Scope(previous);
    }

    /// <summary>Makes <paramref name="context"/> the <see cref="Current"/> context for the rest of the calling async
    /// method: an async method's changes to the ambient context end with it, so nothing needs restoring.</summary>
    internal static void Use(AgentContext context)
    {
        if (!ReferenceEquals(CurrentContext.Value, context))
        {
            CurrentContext.Value = context;
        }
    }

    private sealed class Scope(AgentContext? previous) : IDisposable
    {
        public void Dispose() => CurrentContext.Value = previous;
    }
}
