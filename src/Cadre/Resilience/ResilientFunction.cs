using Cadre.Agents;
using Cadre.Observability;
using Cadre.Tools;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;

namespace Cadre.Resilience;

/// <summary>
/// A tool protected by a Polly pipeline built once: a timeout per attempt and retries with backoff of transient
/// failures. A tool without side effects is retried on any transient failure; a tool with side effects only when
/// the failure proves the call never reached it (the connection could not be made), so a retry can never do its
/// effect twice. What is not retried goes back to the model as a tool error, as before.
/// </summary>
public sealed class ResilientFunction : DelegatingAIFunction
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Wraps a tool.</summary>
    /// <param name="innerFunction">The tool.</param>
    /// <param name="options">Retry settings and the attempt timeout (the breaker settings are not used).</param>
    public ResilientFunction(AIFunction innerFunction, ResilienceOptions? options = null)
        : base(innerFunction)
    {
        ArgumentNullException.ThrowIfNull(innerFunction);
        Options = options ?? new ResilienceOptions();
        var sideEffects = ToolNames.SideEffectsOf(innerFunction) != SideEffects.None;
        var builder = new ResiliencePipelineBuilder { Name = "cadre-tool", InstanceName = innerFunction.Name, TimeProvider = Options.Time };
        if (Options.Retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Options.Retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = Options.Retry.BaseDelay,
                MaxDelay = Options.Retry.MaxDelay,
                UseJitter = Options.Retry.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    && !(e is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)
                    && (sideEffects ? NeverReached(e) : TransientFailures.IsTransient(e))),
                OnRetry = args =>
                {
                    var error = args.Outcome.Exception!;
                    ResilienceEvents.Publish(Options.Observer, Options.Time, (run, at) => new ToolCallRetrying(
                        run, at, AgentContext.Current?.Agent ?? "", Name, args.AttemptNumber + 1, args.RetryDelay, TransientFailures.Describe(error)));
                    return default;
                },
            });
        }

        if (Options.AttemptTimeout is { } timeout && timeout > TimeSpan.Zero)
        {
            builder.AddTimeout(timeout);
        }

        _pipeline = builder.Build();
    }

    /// <summary>The settings.</summary>
    public ResilienceOptions Options { get; }

    /// <summary>Wraps every tool of a list.</summary>
    /// <param name="tools">The tools.</param>
    /// <param name="options">The settings.</param>
    /// <returns>The wrapped tools.</returns>
    public static IReadOnlyList<AIFunction> Wrap(IEnumerable<AIFunction> tools, ResilienceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return tools.Select(t => (AIFunction)new ResilientFunction(t, options)).ToList();
    }

    /// <summary>True when a failure shows the call never reached the tool: no connection could be made.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>Whether a retry cannot repeat an effect.</returns>
    public static bool NeverReached(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        FunctionPipeline.InvokeAsync(_pipeline, base.InvokeCoreAsync, arguments, cancellationToken);
}
