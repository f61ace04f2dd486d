using System.Runtime.CompilerServices;
using Cadre.Observability;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Cadre.Resilience;

/// <summary>
/// A chat client decorator that protects calls to one provider with a Polly pipeline built once: retry (exponential
/// backoff with jitter, or the service's Retry-After) of transient failures only — 429, 5xx, 408, timeouts, dropped
/// connections, empty or malformed replies; never 400 or 401 — around the provider's shared circuit breaker, around a
/// timeout per attempt. Retries and circuit changes are reported as run events.
/// </summary>
/// <remarks>Compose it with <c>ChatClientBuilder.UseResilience(...)</c>. A streaming call is retried until its first
/// update arrives; after that the caller owns the stream. A call cancelled by its caller is never retried.</remarks>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Wraps <paramref name="innerClient"/> in the pipeline, built once here; its circuit is the one named
    /// <see cref="ResilienceOptions.Provider"/> in <see cref="ResilienceOptions.Circuits"/> (a private set when that is
    /// null).</summary>
    /// <param name="innerClient">The client of one provider; disposing this client disposes it.</param>
    /// <param name="options">Timeout, retry and breaker settings; defaults when null.</param>
    public ResilientChatClient(IChatClient innerClient, ResilienceOptions? options = null)
        : base(innerClient)
    {
        Options = options ?? new ResilienceOptions();
        Circuits = Options.Circuits ?? new ProviderCircuits();
        _pipeline = Build(Options, Circuits);
    }

    /// <summary>The retry, timeout and circuit settings this client was built with.</summary>
    public ResilienceOptions Options { get; }

    /// <summary>The circuits this client's provider circuit lives in.</summary>
    public ProviderCircuits Circuits { get; }

    /// <summary>The state of this provider's circuit.</summary>
    public CircuitState CircuitState => Options.Breaker.Enabled ? Circuits.StateOf(Options.Provider) : CircuitState.Closed;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var call = new Call(InnerClient, messages as IReadOnlyList<ChatMessage> ?? messages.ToList(), options);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (call, token) =>
                {
                    call.Attempts++;
                    return await call.Inner.GetResponseAsync(call.Messages, call.Options, token);
                },
                call,
                cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (Failed(ex, call.Attempts) is { } replaced)
            {
                throw replaced;
            }

            throw;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var call = new Call(InnerClient, messages as IReadOnlyList<ChatMessage> ?? messages.ToList(), options);
        Stream stream;
        try
        {
            stream = await _pipeline.ExecuteAsync(
                static async (state, token) =>
                {
                    var (call, caller) = state;
                    call.Attempts++;

                    // The stream outlives the attempt's timeout token, so it gets a token of its own that the
                    // attempt's timeout can still cancel while waiting for the first update.
                    var linked = CancellationTokenSource.CreateLinkedTokenSource(caller, token);
                    var enumerator = call.Inner.GetStreamingResponseAsync(call.Messages, call.Options, linked.Token).GetAsyncEnumerator(linked.Token);
                    try
                    {
                        return new Stream(enumerator, await enumerator.MoveNextAsync(), linked);
                    }
                    catch
                    {
                        await enumerator.DisposeAsync();
                        linked.Dispose();
                        throw;
                    }
                },
                (call, cancellationToken),
                cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (Failed(ex, call.Attempts) is { } replaced)
            {
                throw replaced;
            }

            throw;
        }

        await using (stream.Enumerator)
        using (stream.Cancellation)
        {
            for (var more = stream.HasFirst; more; more = await stream.Enumerator.MoveNextAsync())
            {
                yield return stream.Enumerator.Current;
            }
        }
    }

    private static ResiliencePipeline Build(ResilienceOptions options, ProviderCircuits circuits)
    {
        var builder = new ResiliencePipelineBuilder { Name = "cadre-model", InstanceName = options.Provider, TimeProvider = options.Time };
        var retry = options.Retry;
        if (retry.MaxRetries > 0)
        {
            var retryStrategy = new RetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                UseJitter = retry.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, options, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is BrokenCircuitException broken
                    ? broken.RetryAfter ?? options.Breaker.BreakDuration
                    : TransientFailures.RetryAfterOf(args.Outcome.Exception, options.Time)),
                OnRetry = args =>
                {
                    var error = args.Outcome.Exception!;
                    var attempt = args.AttemptNumber + 1;
                    Record(options, attempt, error);
                    ResilienceEvents.Publish(options.Observer, options.Time, (run, at) => new ModelCallRetrying(
                        run, at, CallerContext.Current?.Agent ?? "", options.Provider, attempt, args.RetryDelay, TransientFailures.Describe(error)));
                    return default;
                },
            };
            if (retry.Randomizer is { } randomizer)
            {
                retryStrategy.Randomizer = randomizer;
            }

            builder.AddRetry(retryStrategy);
        }

        if (options.Breaker.Enabled)
        {
            builder.AddPipeline(circuits.For(options.Provider, options.Breaker, options.Time, options.Observer));
        }

        if (options.AttemptTimeout is { } timeout && timeout > TimeSpan.Zero)
        {
            builder.AddTimeout(timeout);
        }

        return builder.Build();
    }

    private static bool ShouldRetry(Exception? exception, ResilienceOptions options, CancellationToken token)
    {
        if (exception is null || (exception is OperationCanceledException && token.IsCancellationRequested))
        {
            return false;
        }

        if (exception is InvalidModelResponseException && !options.Retry.RetryInvalidResponses)
        {
            return false;
        }

        if (exception is BrokenCircuitException broken)
        {
            return options.Retry.WaitOutOpenCircuit && broken is not IsolatedCircuitException
                && (broken.RetryAfter ?? options.Breaker.BreakDuration) <= options.Retry.MaxRetryAfter;
        }

        // A service that asks for a longer wait than we accept is failed over now rather than waited for.
        if (TransientFailures.RetryAfterOf(exception, options.Time) is { } wait && wait > options.Retry.MaxRetryAfter)
        {
            return false;
        }

        return TransientFailures.IsTransient(exception) || exception is OperationCanceledException;
    }

    private static void Record(ResilienceOptions options, int attempt, Exception error) =>
        AttemptLog.Record(new CallAttempt(options.Time.GetUtcNow(), options.Provider, null, attempt, TransientFailures.Describe(error), error.GetType().Name));

    // Records the final failed attempt; returns the exception to throw instead of the original, if any.
    private TimeoutException? Failed(Exception error, int attempts)
    {
        if (error is not BrokenCircuitException)
        {
            Record(Options, attempts, error);
        }

        // A cancellation nobody asked for is a client-side timeout; say so, so no one mistakes it for the caller's.
        return error is OperationCanceledException
            ? new TimeoutException($"{Options.Provider}: the call was cancelled without the caller asking (a client-side timeout).", error)
            : null;
    }

    private sealed class Call(IChatClient inner, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        public IChatClient Inner { get; } = inner;

        public IReadOnlyList<ChatMessage> Messages { get; } = messages;

        public ChatOptions? Options { get; } = options;

        public int Attempts { get; set; }
    }

    private sealed record Stream(IAsyncEnumerator<ChatResponseUpdate> Enumerator, bool HasFirst, CancellationTokenSource Cancellation);
}
