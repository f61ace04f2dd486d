using System.Net;
using Cadre.Resilience;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;

namespace Cadre.Testing;

/// <summary>
/// Injects faults into models and tools with Polly's chaos strategies (<c>AddChaosLatency</c>,
/// <c>AddChaosFault</c>, <c>AddChaosOutcome</c>), all drawing from one seeded random source so a run with the same
/// seed and the same calls meets the same faults. Wrap each model with <see cref="Wrap(IChatClient, string)"/> and
/// each tool with <see cref="Wrap(AIFunction)"/>, inside the resilience layer, so retries and fallbacks see them.
/// </summary>
public sealed class Chaos
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly Random? _jitter;
    private readonly TimeProvider _time;
    private int _injected;

    /// <summary>Creates an injector whose choices follow <see cref="ChaosOptions.Seed"/> (a fresh random source without one).</summary>
    /// <param name="options">Rates, seed and latencies.</param>
    /// <param name="time">The clock latencies wait on.</param>
    public Chaos(ChaosOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _time = time ?? TimeProvider.System;
#pragma warning disable CA5394 // Chaos needs reproducible choices, not secrets.
        _random = options.Seed is int seed ? new Random(seed) : new Random();
        _jitter = options.Seed is int jitterSeed ? new Random(unchecked(jitterSeed * 31 + 7)) : null;
#pragma warning restore CA5394
    }

    /// <summary>The faults this chaos injects and how often.</summary>
    public ChaosOptions Options { get; }

    /// <summary>A random source for retry jitter, seeded from <see cref="ChaosOptions.Seed"/> (apart from the faults'
    /// source, so adding a retry does not shift which calls fail): give it to <see cref="Resilience.RetryOptions.Randomizer"/>
    /// and <see cref="Tools.GovernedToolOptions.RetryRandomizer"/> and a seeded drill repeats its delays too. Null
    /// without a seed.</summary>
    public Func<double>? Jitter => _jitter is null ? null : NextJitter;

    /// <summary>How many faults were injected so far.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>Wraps a model so its calls meet the configured faults and latency.</summary>
    /// <param name="model">The model calls go on to, after any injected latency; a call given an injected error or a
    /// malformed reply never reaches it.</param>
    /// <param name="name">The model's name, for the injected errors' messages.</param>
    public IChatClient Wrap(IChatClient model, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(name);
        return new ChaosChatClient(model, ModelPipeline(name), StreamPipeline(name));
    }

    /// <summary>Wraps a tool so its calls fail at the tool rate before they run (a failed call never has side
    /// effects).</summary>
    /// <returns><paramref name="tool"/> itself when the tool rate is 0; otherwise a wrapper with its name, description
    /// and schema.</returns>
    public AIFunction Wrap(AIFunction tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var rate = Options.ToolRate ?? Options.Rate;
        if (rate <= 0)
        {
            return tool;
        }

        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = rate,
                Randomizer = NextDouble,
                // A fault before the call reaches the tool (its service cannot be reached): it never has side effects.
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(Count(new HttpRequestException(HttpRequestError.ConnectionError, $"chaos: could not reach {tool.Name} (injected)"))),
            })
            .Build();
        return new ChaosFunction(tool, pipeline);
    }

    /// <summary>Wraps every tool of a list.</summary>
    /// <returns>A new list, in order, each tool wrapped as <see cref="Wrap(AIFunction)"/> does.</returns>
    public IReadOnlyList<AIFunction> Wrap(IEnumerable<AIFunction> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return tools.Select(Wrap).ToList();
    }

    private ResiliencePipeline<ChatResponse> ModelPipeline(string name)
    {
        var builder = new ResiliencePipelineBuilder<ChatResponse> { TimeProvider = _time };
        AddLatencyAndErrors(builder, name);
        var malformed = Options.Rate * Options.MalformedShare;
        if (malformed > 0)
        {
            builder.AddChaosOutcome(new ChaosOutcomeStrategyOptions<ChatResponse>
            {
                InjectionRate = malformed,
                Randomizer = NextDouble,
                OutcomeGenerator = _ => ValueTask.FromResult<Outcome<ChatResponse>?>(Outcome.FromResult(Malformed())),
            });
        }

        return builder.Build();
    }

    private ResiliencePipeline StreamPipeline(string name)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        AddLatencyAndErrors(builder, name);
        return builder.Build();
    }

    private void AddLatencyAndErrors<TBuilder>(TBuilder builder, string name)
        where TBuilder : ResiliencePipelineBuilderBase
    {
        if (Options.Latency is { } latency && latency > TimeSpan.Zero)
        {
            builder.AddChaosLatency(new ChaosLatencyStrategyOptions { InjectionRate = 1, Latency = latency, Randomizer = NextDouble });
        }

        var hang = Options.Rate * Options.HangShare;
        if (hang > 0)
        {
            builder.AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                InjectionRate = hang,
                Latency = Options.HangLatency,
                Randomizer = NextDouble,
                OnLatencyInjected = _ =>
                {
                    Interlocked.Increment(ref _injected);
                    return default;
                },
            });
        }

        var errors = Options.Rate * (1 - Options.MalformedShare - Options.HangShare);
        if (errors > 0)
        {
            builder.AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = errors,
                Randomizer = NextDouble,
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(Count(Error(name))),
            });
        }
    }

    private Exception Error(string name) => Pick(5) switch
    {
        0 => new ModelCallException($"chaos: {name} answered 503 Service Unavailable (injected)", HttpStatusCode.ServiceUnavailable),
        1 => new ModelCallException($"chaos: {name} answered 500 Internal Server Error (injected)", HttpStatusCode.InternalServerError),
        2 => new ModelCallException($"chaos: {name} answered 429 Too Many Requests (injected)", HttpStatusCode.TooManyRequests) { RetryAfter = TimeSpan.FromSeconds(2) },
        3 => new HttpRequestException(HttpRequestError.ConnectionError, $"chaos: the connection to {name} was reset (injected)", new IOException("Connection reset by peer")),
        _ => new TimeoutException($"chaos: the call to {name} timed out (injected)"),
    };

    private ChatResponse Malformed()
    {
        Interlocked.Increment(ref _injected);
        var message = Pick(2) == 0
            ? new ChatMessage(ChatRole.Assistant, [])
            : new ChatMessage(ChatRole.Assistant, "   ");
        return new ChatResponse(message) { ModelId = "chaos", FinishReason = ChatFinishReason.Stop };
    }

    private Exception Count(Exception exception)
    {
        Interlocked.Increment(ref _injected);
        return exception;
    }

    private double NextDouble()
    {
        lock (_gate)
        {
#pragma warning disable CA5394
            return _random.NextDouble();
#pragma warning restore CA5394
        }
    }

    private double NextJitter()
    {
        lock (_gate)
        {
#pragma warning disable CA5394
            return _jitter!.NextDouble();
#pragma warning restore CA5394
        }
    }

    private int Pick(int count)
    {
        lock (_gate)
        {
#pragma warning disable CA5394
            return _random.Next(count);
#pragma warning restore CA5394
        }
    }
}
