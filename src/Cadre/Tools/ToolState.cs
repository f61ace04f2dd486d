using Cadre.Resilience;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;

namespace Cadre.Tools;

/// <summary>A tool as a governed pipeline knows it: descriptor, compiled schema and its Polly pipeline, made once per
/// tool (not per call) and kept while the tool lives.</summary>
internal sealed class ToolState
{
    internal static readonly ResiliencePropertyKey<string> AgentKey = new("cadre.agent");
    internal static readonly ResiliencePropertyKey<ToolCallContext?> CallerKey = new("cadre.caller");

    public ToolState(AIFunction tool, ToolGovernance governance)
    {
        var options = governance.Options;
        Tool = tool;
        Descriptor = ToolDescriptor.Of(tool);
        Schema = ArgumentSchema.Compile(tool.JsonSchema);
        NeedsScope = tool.GetService<ScopedFunction>() is not null;
        // A policy given as the approver governs the tools it names, even when no one said NeedsApproval.
        RequiresApproval = Descriptor.RequiresApproval || options.NeedsApproval?.Invoke(tool) == true
            || (options.Approver is ApprovalPolicy policy && policy.Governs(tool));
        // Three pipelines, in the order one pipeline of all the strategies would nest them: the limits (taken once per
        // call), the retry, and what each attempt passes through (circuit breaker, timeout). Split so that a call whose
        // first attempt succeeds — nearly all — never enters the retry strategy, which costs more than the tool itself
        // would on the fast path; ResilienceStep hands a failed first attempt to the retry as its attempt 0.
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.Time, Name = $"cadre-tool:{tool.Name}:limits" };
        if (Descriptor.RateLimit is { } limit)
        {
            builder.AddRateLimiter(new WindowRateLimiter(limit, options.Time));
        }

        if (Descriptor.RateLimitPerAgent is { } perAgent)
        {
            var limiters = new System.Collections.Concurrent.ConcurrentDictionary<string, WindowRateLimiter>(StringComparer.Ordinal);
            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = args => limiters
                    .GetOrAdd(args.Context.Properties.GetValue(AgentKey, ""), _ => new WindowRateLimiter(perAgent, options.Time))
                    .AcquireAsync(1, args.Context.CancellationToken),
            });
        }

        if (Descriptor.Exclusive)
        {
            builder.AddConcurrencyLimiter(permitLimit: 1, queueLimit: int.MaxValue);
        }

        Limits = Descriptor.RateLimit is not null || Descriptor.RateLimitPerAgent is not null || Descriptor.Exclusive ? builder.Build() : null;

        // A tool that may be repeated is retried on any transient failure; a side-effecting one only when the
        // failure proves the call never reached it, so a retry can never do its effect twice.
        var retries = Descriptor.MaxRetries ?? options.DefaultRetries;
        var safe = Descriptor.IsSafeToRepeat;
        var transient = new PredicateBuilder().Handle<Exception>(governance.IsTransient);
        Func<Exception, bool> retryable = safe ? governance.IsTransient : TransientFailures.NeverReached;
        if (retries > 0)
        {
            Retryable = retryable;
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(retryable),
                OnRetry = args =>
                {
                    var error = args.Outcome.Exception!;
                    var caller = args.Context.Properties.GetValue(CallerKey, null);
                    ResilienceEvents.Publish(null, options.Time, (run, at) => new ToolCallRetrying(
                        run, at, caller?.Agent ?? "", tool.Name, args.AttemptNumber + 1, args.RetryDelay, TransientFailures.Describe(error)), caller);
                    return default;
                },
            };
            if (options.RetryRandomizer is { } randomizer)
            {
                retry.Randomizer = randomizer;
            }

            Retry = new ResiliencePipelineBuilder { TimeProvider = options.Time, Name = $"cadre-tool:{tool.Name}:retry" }.AddRetry(retry).Build();
        }

        builder = new ResiliencePipelineBuilder { TimeProvider = options.Time, Name = $"cadre-tool:{tool.Name}" };
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = transient,
        });
        if ((Descriptor.Timeout ?? options.DefaultTimeout) is { } timeout)
        {
            builder.AddTimeout(timeout);
        }

        Attempt = builder.Build();
    }

    public AIFunction Tool { get; }

    public ToolDescriptor Descriptor { get; }

    public ArgumentSchema Schema { get; }

    /// <summary>Whether calls are approved first: the descriptor says so or the pipeline's policy names the tool.</summary>
    public bool RequiresApproval { get; }

    public bool NeedsScope { get; }

    /// <summary>The in-process rate limits and the one-at-a-time limit of an exclusive tool; null when it has none.</summary>
    public ResiliencePipeline? Limits { get; }

    /// <summary>The retry of failed attempts; null when the tool is not retried.</summary>
    public ResiliencePipeline? Retry { get; }

    /// <summary>Which failures <see cref="Retry"/> retries (null when it is null).</summary>
    public Func<Exception, bool>? Retryable { get; }

    /// <summary>What every attempt passes through: the tool's circuit breaker and its timeout.</summary>
    public ResiliencePipeline Attempt { get; }
}
