using Cadre.Agents;
using Cadre.Resilience;

namespace Cadre.Tools;

/// <summary>The last step: calls the tool's function with the caller in its arguments (<see cref="ToolCaller"/>), and
/// for a tool that uses other tools (discovery, chains, job status) the governed pipeline too, so those calls are
/// governed as well. Under the resilience step a failure is thrown for Polly to retry or count; without it, it becomes
/// the call's record.</summary>
internal sealed class ToolFunctionStep(ToolGovernance governance) : GovernanceStep(null, governance)
{
    internal override async ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        if (call.Tool() is not { } state)
        {
            return call.Record(ToolCallStatus.UnknownTool, ToolErrors.UnknownTool(request.Call.Name, request.Tools.Select(t => t.Name)), "unknown tool");
        }

        var arguments = state.NeedsScope
            ? new ToolCallScope(call.Detached, Governance.Pipeline, Governance.Options.Permissions).Arguments(request.Call.Arguments)
            : request.Caller().Arguments(request.Call.Arguments);
        try
        {
            Interlocked.Increment(ref call.Executions);
            return call.Record(ToolCallStatus.Succeeded, ToolResults.Format(await state.Tool.InvokeAsync(arguments, cancellationToken)));
        }
        catch (Exception ex) when (!call.InResilience && ex is not CrashException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            return Governance.Failed(call, state, ex);
        }
    }
}
