using Cadre.Resilience;
using Cadre.Testing;

namespace Cadre.Models;

/// <summary>Where model specs are resolved: the folder relative files are found in, the environment keys come from,
/// the HTTP client and the clock.</summary>
public sealed record ModelOptions
{
    /// <summary>The folder relative cassette and script paths are resolved against (the spec's folder).</summary>
    public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Reads environment variables (<c>OPENAI_API_KEY</c>, <c>OPENAI_BASE_URL</c>, <c>OLLAMA_HOST</c>).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The HTTP client for network providers; each provider's own when null.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The clock for delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>When set, every call through the chain is recorded into this cassette file.</summary>
    public string? RecordPath { get; init; }

    /// <summary>How every model of a chain is protected (timeout, retries, circuit breaker); its provider name and
    /// clock are set per model. Defaults when null.</summary>
    public ResilienceOptions? Resilience { get; init; }

    /// <summary>How a chain of several models moves between its degradation levels; its clock is <see cref="Time"/>.
    /// Defaults when null.</summary>
    public DegradationOptions? Degradation { get; init; }

    /// <summary>The circuit breakers, one per provider, shared by every chain built with these options.</summary>
    public ProviderCircuits Circuits { get; init; } = new();

    /// <summary>Injects faults and latency into every model call (<c>cadre run --chaos</c>), if set; share the same
    /// instance with the tools so one seed drives both.</summary>
    public Chaos? Chaos { get; init; }
}
