using Cadre.Resilience;
using Polly.RateLimiting;

namespace Cadre.Tools;

/// <summary>The limits other processes sharing the workspace count too (<see cref="IToolLimitStore"/>): rate limits
/// per tool and per agent (a rejection reads like the in-process limiter's) and, for an exclusive tool, a lock held
/// for the whole call — every attempt — so only a holder that died loses it. With no store, the in-process limits of
/// the resilience step are the only ones.</summary>
internal sealed class SharedLimitStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken) =>
        (Governance.Options.Limits ?? call.Request.Context.Limits) is { } limits && call.Tool() is { } state
            && (state.Descriptor.RateLimit is not null || state.Descriptor.RateLimitPerAgent is not null || state.Descriptor.Exclusive)
            ? LimitedAsync(limits, call, state, cancellationToken)
            : NextAsync(call, cancellationToken);

    private async ValueTask<ToolCallRecord> LimitedAsync(IToolLimitStore limits, GovernedCall call, ToolState state, CancellationToken cancellationToken)
    {
        string? holder;
        try
        {
            holder = await TakeAsync(limits, state, call.Request.Context.Agent, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A limit that cannot be taken (a store that fails) fails the call, not the run.
        catch (Exception ex) when (ex is not CrashException)
#pragma warning restore CA1031
        {
            return Governance.Failed(call, state, ex);
        }

        try
        {
            return await NextAsync(call, cancellationToken);
        }
        finally
        {
            if (holder is not null)
            {
                await limits.ReleaseAsync(ExclusiveKey(state), holder, CancellationToken.None);
            }
        }
    }

    // Returns the lock's holder, if one was taken.
    private async ValueTask<string?> TakeAsync(IToolLimitStore limits, ToolState state, string agent, CancellationToken cancellationToken)
    {
        var d = state.Descriptor;
        var options = Governance.Options;
        foreach (var (key, limit) in new[] { ($"rate:{state.Tool.Name}", d.RateLimit), ($"rate:{state.Tool.Name}:{agent}", d.RateLimitPerAgent) })
        {
            if (limit is not null && await limits.TryAcquireAsync(key, limit, options.Time.GetUtcNow(), cancellationToken) is { } wait)
            {
                throw new RateLimiterRejectedException($"'{state.Tool.Name}' is rate limited across processes.", wait);
            }
        }

        if (!d.Exclusive)
        {
            return null;
        }

        var attempt = d.Timeout ?? options.DefaultTimeout ?? TimeSpan.FromMinutes(10);
        var lease = attempt * ((d.MaxRetries ?? options.DefaultRetries) + 1) + TimeSpan.FromMinutes(1);
        var holder = Guid.NewGuid().ToString("n");
        while (!await limits.TryLockAsync(ExclusiveKey(state), holder, options.Time.GetUtcNow(), lease, cancellationToken))
        {
            await Task.Delay(options.LockPollInterval, options.Time, cancellationToken);
        }

        return holder;
    }

    private static string ExclusiveKey(ToolState state) => "lock:" + state.Tool.Name;
}
