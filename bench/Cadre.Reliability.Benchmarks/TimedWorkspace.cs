using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Reliability.Benchmarks;

/// <summary>A workspace whose run store times its checkpoints.</summary>
/// <param name="inner">The workspace.</param>
public sealed class TimedWorkspace(IWorkspace inner) : IWorkspace
{
    /// <summary>The timed store.</summary>
    public TimedRunStore Timed { get; } = new(inner.Runs);

    /// <inheritdoc />
    public IRunStore Runs => Timed;

    /// <inheritdoc />
    public IConversationStore Conversations => inner.Conversations;

    /// <inheritdoc />
    public IToolLedger Ledger => inner.Ledger;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => inner.DeadLetters;

    /// <inheritdoc />
    public IAuditLog Audit => inner.Audit;

    /// <inheritdoc />
    public IToolJobStore Jobs => inner.Jobs;

    /// <inheritdoc />
    public IApprovalStore Approvals => inner.Approvals;

    /// <inheritdoc />
    public Cadre.Workspaces.WorkspaceMemory Memory => inner.Memory;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
