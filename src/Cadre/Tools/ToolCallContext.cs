using Cadre.Observability;
using Cadre.Resilience;

namespace Cadre.Tools;

/// <summary>
/// Where a tool call runs: the caller (<see cref="CallerContext"/>: agent, run, step, observer, clock), the run's
/// epoch and fault points, where progress goes, and the stores the governed path keeps its ledger, audit trail, jobs,
/// approvals and shared limits in. Given to every <see cref="IToolInvoker"/> with the call
/// (<see cref="ToolCallRequest.Context"/>); an agent's turn context (<c>Cadre.Agents.AgentContext</c>) is one, so a
/// turn passes its own without building another.
/// </summary>
/// <remarks>It also flows with the async call path (<see cref="Current"/>), so a tool can report progress and learn its
/// run without it being threaded through its parameters: <c>ToolCallContext.Current?.Progress?.Report("page 3 of 10")</c>.
/// A store left null is one the caller does not have: the governed path then keeps that record in its own memory (or
/// in the store its options name, which wins).</remarks>
public record ToolCallContext : CallerContext
{
    /// <summary>The context of the turn or call running on this async path, if any.</summary>
    public static new ToolCallContext? Current => CallerContext.Current as ToolCallContext;

    /// <summary>The epoch under which this process owns the run (<c>RunLease.Epoch</c>; 0 outside a run or for a run
    /// never claimed). Side-effecting calls reserve their key in the ledger under it.</summary>
    public long Epoch { get; init; }

    /// <summary>Where the runtime reports reaching a fault point (a crash harness); none when null.</summary>
    public IFaultInjector? Faults { get; init; }

    /// <summary>True when a person decided that side-effecting calls whose outcome is unknown may be made again under
    /// their keys even though their tools are not idempotent (<c>cadre resume --repeat-unknown</c>).</summary>
    public bool RepeatUnknownOutcomes { get; init; }

    /// <summary>Where long work reports that it is still making progress (a tool paging through results, say):
    /// <c>ToolCallContext.Current?.Progress?.Report("page 3 of 10")</c>. A supervisor counts it as a heartbeat.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>The run's idempotency ledger: a side-effecting call happens once per key in it.</summary>
    public virtual IToolLedger? Ledger { get; init; }

    /// <summary>The run's audit trail of tool calls.</summary>
    public virtual IAuditLog? Audit { get; init; }

    /// <summary>Where the run's background tool jobs are kept.</summary>
    public virtual IToolJobStore? Jobs { get; init; }

    /// <summary>Where calls waiting for a person's approval are kept.</summary>
    public virtual IApprovalStore? Approvals { get; init; }

    /// <summary>Where rate limits and exclusive locks shared between processes are kept.</summary>
    public virtual IToolLimitStore? Limits { get; init; }
}
