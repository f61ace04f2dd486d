using Cadre.Resilience;
using Polly;

namespace Cadre.Tools;

/// <summary>Runs the call through its tool's Polly pipeline, made once per tool: in-process rate limits and the one-at-
/// a-time limit of an exclusive tool, retries of transient failures (for a side-effecting tool only of failures that
/// prove the call never reached it), a circuit breaker per tool and a timeout per attempt. A failure becomes a record
/// that tells the model what happened and what to do; it never ends the run.</summary>
internal sealed class ResilienceStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken) =>
        call.Tool() is { } state ? ResilientAsync(call, state, cancellationToken) : NextAsync(call, cancellationToken);

    private async ValueTask<ToolCallRecord> ResilientAsync(GovernedCall call, ToolState state, CancellationToken cancellationToken)
    {
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        if (state.Descriptor.RateLimitPerAgent is not null)
        {
            resilience.Properties.Set(ToolState.AgentKey, call.Request.Context.Agent);
        }

        var outer = call.InResilience;
        call.InResilience = true;
        try
        {
            return state.Limits is { } limits
                ? await limits.ExecuteAsync(static (rc, s) => s.Step.AttemptsAsync(s.Call, s.State, rc), resilience, (Step: this, Call: call, State: state))
                : await AttemptsAsync(call, state, resilience);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failing tool must never end the run: its error goes back to the model.
        catch (Exception ex) when (ex is not CrashException)
#pragma warning restore CA1031
        {
            return Governance.Failed(call, state, ex);
        }
        finally
        {
            call.InResilience = outer;
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    // The first attempt goes through the breaker (and timeout) alone; only when it fails in a way the tool may be
    // retried for does the retry strategy take over, with that failure as its attempt 0 — so retries, their delays and
    // their events are Polly's, and the breaker counts every attempt once, as with one pipeline of all the strategies.
    private ValueTask<ToolCallRecord> AttemptsAsync(GovernedCall call, ToolState state, ResilienceContext resilience)
    {
        var first = AttemptAsync(resilience, (Step: this, Call: call, State: state));
        return state.Retry is null || first.IsCompletedSuccessfully ? first : RetriedAsync(call, state, resilience, first);
    }

    private async ValueTask<ToolCallRecord> RetriedAsync(GovernedCall call, ToolState state, ResilienceContext resilience, ValueTask<ToolCallRecord> first)
    {
        try
        {
            return await first;
        }
        catch (Exception failure) when (state.Retryable!(failure) && !resilience.CancellationToken.IsCancellationRequested)
        {
            // Who is retrying, for the retry events (only a call that gets this far needs it).
            resilience.Properties.Set(ToolState.CallerKey, call.Request.Context);
            var attempts = 0;
            return await state.Retry!.ExecuteAsync(
                (rc, s) => attempts++ == 0 ? ValueTask.FromException<ToolCallRecord>(failure) : AttemptAsync(rc, s),
                resilience,
                (Step: this, Call: call, State: state));
        }
    }

    private static ValueTask<ToolCallRecord> AttemptAsync(ResilienceContext resilience, (ResilienceStep Step, GovernedCall Call, ToolState State) s) =>
        s.State.Attempt.ExecuteAsync(static (rc, s) => s.Step.NextAsync(s.Call, rc.CancellationToken), resilience, (s.Step, s.Call));
}
