using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>An approver that asks a callback in code.</summary>
public sealed class CallbackApprover : IToolApprover
{
    private readonly Func<ToolApprovalRequestContent, ToolApprovalContext, CancellationToken, ValueTask<ToolApprovalResponseContent>> _decide;

    /// <summary>Asks <paramref name="decide"/>, which returns the full decision.</summary>
    /// <param name="decide">Called for each call that needs approval with the request, its context and the call's cancellation token; what it returns is the decision, and what it throws reaches the governed path.</param>
    public CallbackApprover(Func<ToolApprovalRequestContent, ToolApprovalContext, CancellationToken, ValueTask<ToolApprovalResponseContent>> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        _decide = decide;
    }

    /// <summary>Asks <paramref name="approve"/>, which says yes or no.</summary>
    /// <param name="approve">Called for each call that needs approval; true approves it, false denies it without a reason.</param>
    /// <param name="name">Who decides, for the audit log.</param>
    public CallbackApprover(Func<ToolApprovalContext, bool> approve, string name = "callback")
    {
        ArgumentNullException.ThrowIfNull(approve);
        _decide = (request, context, _) => ValueTask.FromResult(approve(context)
            ? ToolApprovals.Approve(request, name)
            : ToolApprovals.Deny(request, name));
    }

    /// <inheritdoc />
    public ValueTask<ToolApprovalResponseContent> DecideAsync(ToolApprovalRequestContent request, ToolApprovalContext context, CancellationToken cancellationToken) =>
        _decide(request, context, cancellationToken);
}
