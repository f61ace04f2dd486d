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
}
