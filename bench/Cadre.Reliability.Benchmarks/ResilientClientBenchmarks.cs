using BenchmarkDotNet.Attributes;
using Cadre.Resilience;
using Microsoft.Extensions.AI;

namespace Cadre.Reliability.Benchmarks;

/// <summary>What the resilience layer costs when nothing fails: a bare model against the same model behind
/// Cadre's validation and resilience (timeout, retry, circuit breaker), and behind a two-level fallback chain.</summary>
[MemoryDiagnoser]
[ShortRunJob]
#pragma warning disable CA1001 // BenchmarkDotNet releases the clients through [GlobalCleanup].
public class ResilientClientBenchmarks
#pragma warning restore CA1001
{
    private readonly ChatMessage[] _messages = [new(ChatRole.System, "You are the billing specialist."), new(ChatRole.User, "john@example.com was charged twice for INV-1001")];
#pragma warning disable CA1859 // Called through IChatClient on purpose: that is how agents call models.
    private IChatClient _bare = null!;
    private IChatClient _resilient = null!;
    private IChatClient _chain = null!;
#pragma warning restore CA1859

    /// <summary>Builds the clients once, as hosts do.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _bare = new EchoChatClient();
        _resilient = new ResilientChatClient(new ValidatingChatClient(new EchoChatClient()), new ResilienceOptions { Provider = "echo" });
        _chain = new DegradingChatClient(
        [
            new DegradationLevel("full", new ResilientChatClient(new ValidatingChatClient(new EchoChatClient()), new ResilienceOptions { Provider = "echo-full" })),
            new DegradationLevel("recorded", new ResilientChatClient(new ValidatingChatClient(new EchoChatClient()), new ResilienceOptions { Provider = "echo-recorded" })),
        ]);
    }

    /// <summary>Disposes the clients.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Dispose();
        _resilient.Dispose();
        _chain.Dispose();
    }

    /// <summary>The bare model.</summary>
    /// <returns>The reply.</returns>
    [Benchmark(Baseline = true)]
    public Task<ChatResponse> Bare() => _bare.GetResponseAsync(_messages);

    /// <summary>Validation, timeout, retry and the provider's circuit breaker around the model.</summary>
    /// <returns>The reply.</returns>
    [Benchmark]
    public Task<ChatResponse> Resilient() => _resilient.GetResponseAsync(_messages);

    /// <summary>A two-level fallback chain of resilient models, the best level healthy.</summary>
    /// <returns>The reply.</returns>
    [Benchmark]
    public Task<ChatResponse> FallbackChain() => _chain.GetResponseAsync(_messages);
}
