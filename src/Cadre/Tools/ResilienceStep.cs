using Cadre.Agents;
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
        resilience.Properties.Set(ToolState.CallerKey, call.Request.Context);
        if (state.Descriptor.RateLimitPerAgent is not null)
        {
            resilience.Properties.Set(ToolState.AgentKey, call.Request.Context.Agent);
        }

        var outer = call.InResilience;
        call.InResilience = true;
        try
        {
            return await state.Pipeline.ExecuteAsync(
                static (rc, s) => s.Step.NextAsync(s.Call, rc.CancellationToken),
                resilience,
                (Step: this, Call: call));
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
}
