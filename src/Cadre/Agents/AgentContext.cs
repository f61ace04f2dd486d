using Cadre.Conversations;
using Cadre.Observability;
using Cadre.Tools;

namespace Cadre.Agents;

/// <summary>
/// Where an agent turn runs: the run and step it belongs to, the observer that watches it, the clock and the run's
/// stores. It is the <see cref="ToolCallContext"/> of the turn's tool calls, and flows with the async call path
/// (<see cref="Current"/>), so components far from the agent — a scripted model, a recording cassette, a tool — can
/// tell which agent is working without it being threaded through every signature.
/// </summary>
public sealed record AgentContext : ToolCallContext
{
    private readonly ISummaryStore? _summaries;

    /// <summary>The context of the agent turn running on this async path, if any.</summary>
    public static new AgentContext? Current => CallerContext.Current as AgentContext;

    /// <summary>The workspace of the run, if the turn belongs to one: the stores not given one by one
    /// (<see cref="ToolCallContext.Ledger"/>, ...) are its.</summary>
    public Cadre.Workspaces.IWorkspace? Workspace { get; init; }

    /// <summary>Where the turn's context window keeps conversation summaries (a summarising reducer's); the
    /// workspace's when not given.</summary>
    public ISummaryStore? Summaries { get => _summaries ?? Workspace?.Memory.Summaries; init => _summaries = value; }

    /// <inheritdoc />
    public override IToolLedger? Ledger { get => base.Ledger ?? Workspace?.Ledger; init => base.Ledger = value; }

    /// <inheritdoc />
    public override IAuditLog? Audit { get => base.Audit ?? Workspace?.Audit; init => base.Audit = value; }

    /// <inheritdoc />
    public override IToolJobStore? Jobs { get => base.Jobs ?? Workspace?.Jobs; init => base.Jobs = value; }

    /// <inheritdoc />
    public override IApprovalStore? Approvals { get => base.Approvals ?? Workspace?.Approvals; init => base.Approvals = value; }

    /// <inheritdoc />
    public override IToolLimitStore? Limits { get => base.Limits ?? Workspace?.Limits; init => base.Limits = value; }

    /// <summary>Makes <paramref name="context"/> the <see cref="Current"/> context until the returned scope is
    /// disposed.</summary>
    /// <param name="context">The context to enter.</param>
    /// <returns>A scope that restores the previous context.</returns>
    public static IDisposable Enter(AgentContext context) => CallerContext.Enter(context);
}
