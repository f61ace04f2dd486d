using System.Collections.Concurrent;
using Cadre.Observability;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace Cadre.Resilience;

/// <summary>
/// The circuit breakers of a set of providers, one per provider name, kept in a Polly
/// <see cref="ResiliencePipelineRegistry{TKey}"/> so every client of a provider shares its circuit: when
/// <c>openai:gpt-4o</c> fails for one agent, the others stop calling it too. State changes are reported as
/// <see cref="CircuitStateChanged"/> events to the run that caused them.
/// </summary>
/// <remarks>Circuit breakers hold no unmanaged resources, so the set needs no disposal; share one instance among the
/// clients that should share circuits (a <see cref="Cadre.Models.ModelOptions"/> does this for its chains).</remarks>
#pragma warning disable CA1001 // Shared by many clients with no single owner; its circuit breakers hold no resources to release.
public sealed class ProviderCircuits
#pragma warning restore CA1001
{
    private readonly ResiliencePipelineRegistry<string> _registry = new();
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitBreakerManualControl> _controls = new(StringComparer.Ordinal);

    // Polly runs state-change callbacks on its own task, away from the caller's async flow; the run whose call
    // changed the state is remembered here so the event still reaches it.
    private readonly ConcurrentDictionary<string, CallerContext> _lastCaller = new(StringComparer.Ordinal);

    /// <summary>The state of every provider's circuit created so far.</summary>
    public IReadOnlyDictionary<string, CircuitState> States =>
        _states.ToDictionary(p => p.Key, p => p.Value.CircuitState, StringComparer.Ordinal);

    /// <summary>The state of a provider's circuit (closed when it has none yet).</summary>
    public CircuitState StateOf(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return _states.TryGetValue(provider, out var state) ? state.CircuitState : CircuitState.Closed;
    }

    /// <summary>Opens a provider's circuit by hand until <see cref="CloseAsync"/> (a provider known to be down).</summary>
    /// <param name="provider">The provider's name (<c>openai</c>, say); one breaker per name.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the circuit is isolated.</returns>
    public Task IsolateAsync(string provider, CancellationToken cancellationToken = default) =>
        Control(provider).IsolateAsync(cancellationToken);

    /// <summary>Closes a provider's circuit by hand.</summary>
    /// <param name="provider">The provider's name (<c>openai</c>, say); one breaker per name.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the circuit is closed.</returns>
    public Task CloseAsync(string provider, CancellationToken cancellationToken = default) =>
        Control(provider).CloseAsync(cancellationToken);

    /// <summary>The pipeline holding a provider's circuit breaker, created on first use with
    /// <paramref name="options"/> (later callers share it as it was created).</summary>
    /// <param name="provider">The provider's name (<c>openai</c>, say); one breaker per name.</param>
    /// <param name="options">Failure ratio, minimum throughput, sampling window and break duration; used only by the
    /// first call for a provider.</param>
    /// <param name="time">The clock the breaker times its open state with.</param>
    /// <param name="observer">Receives state changes outside a run.</param>
    public ResiliencePipeline For(string provider, BreakerOptions options, TimeProvider time, IRunObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return _registry.GetOrAddPipeline(provider, builder =>
        {
            builder.TimeProvider = time;
            builder.Name = "cadre-circuit";
            builder.InstanceName = provider;
            var state = _states.GetOrAdd(provider, _ => new CircuitBreakerStateProvider());
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = args =>
                {
                    if (CallerContext.Current is { } caller)
                    {
                        _lastCaller[provider] = caller;
                    }

                    return ValueTask.FromResult(args.Outcome.Exception is { } e && CountsAgainstProvider(e, args.Context.CancellationToken));
                },
                StateProvider = state,
                ManualControl = Control(provider),
                OnOpened = args =>
                {
                    var why = args.IsManual ? "isolated by hand" : $"opened for {args.BreakDuration.TotalSeconds:0.#}s after {Describe(args.Outcome.Exception)}";
                    ResilienceEvents.Publish(observer, time, (run, at) => new CircuitStateChanged(run, at, provider, CircuitState.Open, why), Caller(provider));
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    ResilienceEvents.Publish(observer, time, (run, at) => new CircuitStateChanged(run, at, provider, CircuitState.HalfOpen, "trying one call"), Caller(provider));
                    return default;
                },
                OnClosed = args =>
                {
                    var why = args.IsManual ? "closed by hand" : "recovered";
                    ResilienceEvents.Publish(observer, time, (run, at) => new CircuitStateChanged(run, at, provider, CircuitState.Closed, why), Caller(provider));
                    return default;
                },
            });
        });
    }

    // Failures that say something about the provider's health; a 400 says something about the request.
    private static bool CountsAgainstProvider(Exception exception, CancellationToken token) =>
        !(exception is OperationCanceledException && token.IsCancellationRequested) && TransientFailures.IsTransient(exception);

    private static string Describe(Exception? exception) => exception is null ? "failures" : TransientFailures.Describe(exception);

    private CallerContext? Caller(string provider) => CallerContext.Current ?? _lastCaller.GetValueOrDefault(provider);

    private CircuitBreakerManualControl Control(string provider) =>
        _controls.GetOrAdd(provider, _ => new CircuitBreakerManualControl());
}
