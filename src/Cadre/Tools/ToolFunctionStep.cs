using Cadre.Conversations;
using Cadre.Resilience;

namespace Cadre.Tools;

/// <summary>The last step: calls the tool's function with the caller in its arguments (<see cref="ToolCaller"/>), and
/// for a tool that uses other tools (discovery, chains, job status) the governed pipeline too, so those calls are
/// governed as well. Under the resilience step a failure is thrown for Polly to retry or count; without it, it becomes
/// the call's record.</summary>
internal sealed class ToolFunctionStep(ToolGovernance governance) : GovernanceStep(null, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        if (call.Tool() is not { } state)
        {
            return new(call.Record(ToolCallStatus.UnknownTool, ToolErrors.UnknownTool(request.Call.Name, request.Tools.Select(t => t.Name)), "unknown tool"));
        }

        var arguments = state.NeedsScope
            ? new ToolCallScope(call.Detached, Governance.Pipeline, Governance.Options.Permissions).Arguments(request.Call.Arguments)
            : request.Caller().Arguments(request.Call.Arguments);
        Interlocked.Increment(ref call.Executions);
        ValueTask<object?> running;
        try
        {
            running = state.Tool.InvokeAsync(arguments, cancellationToken);
        }
        catch (Exception ex) when (Describes(call, ex, cancellationToken))
        {
            return new(Governance.Failed(call, state, ex));
        }

        // A tool that finished at once (most do) needs no state machine here.
        return running.IsCompletedSuccessfully
            ? new(call.Record(ToolCallStatus.Succeeded, ToolResults.Format(running.Result)))
            : FinishAsync(call, state, running, cancellationToken);
    }

    private async ValueTask<ToolCallRecord> FinishAsync(GovernedCall call, ToolState state, ValueTask<object?> running, CancellationToken cancellationToken)
    {
        try
        {
            return call.Record(ToolCallStatus.Succeeded, ToolResults.Format(await running));
        }
        catch (Exception ex) when (Describes(call, ex, cancellationToken))
        {
            return Governance.Failed(call, state, ex);
        }
    }

    // Under the resilience step a failure goes to Polly; without it, it becomes the call's record (never a crash or
    // the run's cancellation).
    private static bool Describes(GovernedCall call, Exception exception, CancellationToken cancellationToken) =>
        !call.InResilience && exception is not CrashException && (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested);
}
