using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>Asks the approver (<see cref="GovernedToolOptions.Approver"/>) about a call of a tool that needs approval,
/// and stops the call when it is not approved. A call the ledger keeps is decided before its key is reserved (a call
/// waiting for a person has reserved nothing), is not asked about again when the ledger already completed it (it
/// replays), and a denial is recorded in the ledger like any outcome, so the resumed run replays it.</summary>
internal sealed class ApprovalStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken) =>
        call.Tool() is { RequiresApproval: true } state ? DecideAsync(call, state, cancellationToken) : NextAsync(call, cancellationToken);

    private async ValueTask<ToolCallRecord> DecideAsync(GovernedCall call, ToolState state, CancellationToken cancellationToken)
    {
        var ledger = Governance.LedgerFor(call);
        if (ledger is not null && await LedgerToolInvoker.IsCompletedAsync(ledger, call.Request, call.Arguments, cancellationToken))
        {
            return await NextAsync(call, cancellationToken);
        }

        if (await ApproveAsync(call, state, cancellationToken) is not { } denied)
        {
            return await NextAsync(call, cancellationToken);
        }

        return ledger is null ? denied : await LedgerStep.KeepAsync(ledger, call, denied, static (no, _, _) => ValueTask.FromResult(no), cancellationToken);
    }

    // Asks for the call's approval: null when approved, else the denied outcome the model is given.
    private async ValueTask<ToolCallRecord?> ApproveAsync(GovernedCall call, ToolState state, CancellationToken cancellationToken)
    {
        var options = Governance.Options;
        var request = call.Request;
        var context = request.Context;
        var function = request.Call;
        var approval = new ToolApprovalRequestContent(function.CallId.Length > 0 ? function.CallId : request.IdempotencyKey, function);
        ToolApprovalResponseContent response;
        try
        {
            response = options.Approver is { } approver
                ? await approver.DecideAsync(approval, new ToolApprovalContext(context, state.Tool, state.Descriptor, call.Arguments) { Key = request.IdempotencyKey }, cancellationToken)
                : ToolApprovals.Deny(approval, "no approver", options.NoApproverReason);
        }
        catch (Exception ex) when ((ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && ex is not ApprovalPendingException)
        {
            // An approver that fails has not approved. One that waits for a person stops the run instead.
            response = ToolApprovals.Deny(approval, "approver", $"the approver failed ({ex.Message})");
        }

        var who = ToolApprovals.ApproverOf(response);
        var escalated = !response.Approved && ToolApprovals.IsEscalated(response);
        context.Observer.OnEvent(new ToolApprovalDecided(context.RunId, Governance.Time.GetUtcNow(), context.Agent, function.Name, response.Approved, who, response.Reason, escalated));
        if (!response.Approved)
        {
            call.Detail = $"{(escalated ? "denied and escalated" : "denied")} by {who}{(response.Reason is { Length: > 0 } r ? ": " + r : "")}";
            return call.Record(ToolCallStatus.Denied, ToolResults.Error(
                $"the call to '{function.Name}' was not approved ({who}{(response.Reason is { Length: > 0 } why ? ": " + why : "")}). " +
                (escalated
                    ? "It has been escalated to a person, who will follow up; tell the user so and do not call it again."
                    : "Do not call it again for this; tell the user what you would have done instead.")));
        }

        call.Detail = $"approved by {who}{(response.Reason is { Length: > 0 } because ? ": " + because : "")}";
        return null;
    }
}
