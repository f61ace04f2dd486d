using Cadre.Conversations;
using Cadre.Resilience;

namespace Cadre.Tools;

/// <summary>The outermost step: every call gets one audit entry (who called what, with which arguments, what came of it
/// and why), and a failure of the path itself (an approver, a store) becomes a failed call rather than ending the run.
/// Cancellation, a call whose outcome is unknown, a pending approval, a crash and a superseded run still end it.</summary>
internal sealed class AuditStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override async ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        var name = request.Call.Name;
        ToolCallRecord record;
        try
        {
            record = await NextAsync(call, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Governance.AuditAsync(request, call.Record(ToolCallStatus.Failed, ToolResults.Error("the call was cancelled.")), "cancelled", null, call.Executions);
            throw;
        }
        catch (ToolOutcomeUnknownException unknown)
        {
            // Not made: the run escalates. The audit says why, so a person can find the call.
            await Governance.AuditAsync(request, call.Record(ToolCallStatus.Failed, ToolResults.Error(unknown.Message)), "outcome unknown", AuditOutcome.OutcomeUnknown, 0);
            throw;
        }
#pragma warning disable CA1031 // The path itself failing (an approver, a store) must not end the run either.
        catch (Exception ex) when (ex is not ApprovalPendingException and not CrashException and not RunSupersededException)
#pragma warning restore CA1031
        {
            record = call.Record(ToolCallStatus.Failed, ToolResults.Error($"the call to '{name}' could not be completed: {ex.Message}"));
            call.Detail = $"the governed path failed: {ex.GetType().Name}: {ex.Message}";
        }

        if (!call.Audited)
        {
            call.Audited = true;
            await Governance.AuditAsync(call.Request, record, call.Detail, null, call.Executions);
        }

        return record;
    }
}
