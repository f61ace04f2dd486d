using Cadre.Resilience;
using Microsoft.Extensions.AI;

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

    /// <summary>The clock for simulated delays, retry waits and the circuit breakers (a <c>FakeTimeProvider</c> in
    /// tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The model providers, by the name a spec gives before the colon: each makes the client of one link, or
    /// throws <see cref="ModelNotConfiguredException"/> when the link cannot serve here (an unset key). The core has
    /// none: Cadre.OpenAI adds <c>openai</c> (<c>OpenAIModels.AddTo</c>), Cadre.Ollama <c>ollama</c>
    /// (<c>OllamaModels.AddTo</c>), Cadre.Testing <c>replay</c> and <c>scripted</c> (<c>TestingModels.AddTo</c>);
    /// Cadre.Hosting adds them all (<c>HostedModels.AddTo</c>).</summary>
    public IReadOnlyDictionary<string, Func<ModelSpec, ModelOptions, IChatClient>> Providers { get; init; } =
        new Dictionary<string, Func<ModelSpec, ModelOptions, IChatClient>>(StringComparer.Ordinal);

    /// <summary>Wraps the client of each available model, inside its resilience (fault injection for a drill), if set;
    /// it receives the client and the model's name.</summary>
    public Func<IChatClient, string, IChatClient>? WrapModel { get; init; }

    /// <summary>Wraps the client of the whole chain, outside its fallbacks (recording every call), if set.</summary>
    public Func<IChatClient, IChatClient>? WrapChain { get; init; }

    /// <summary>How every model of a chain is protected (timeout, retries, circuit breaker); its provider name and
    /// clock are set per model. Defaults when null.</summary>
    public ResilienceOptions? Resilience { get; init; }

    /// <summary>How a chain of several models moves between its degradation levels; its clock is <see cref="Time"/>.
    /// Defaults when null.</summary>
    public DegradationOptions? Degradation { get; init; }

    /// <summary>The circuit breakers, one per provider, shared by every chain built with these options.</summary>
    public ProviderCircuits Circuits { get; init; } = new();

    /// <summary>The full path of a file a link names (a cassette, a script), resolved against
    /// <see cref="BaseDirectory"/>.</summary>
    /// <exception cref="ModelSpecException">The file does not exist.</exception>
    public string RequireFile(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var path = Path.GetFullPath(spec.Target, BaseDirectory);
        return File.Exists(path)
            ? path
            : throw new ModelSpecException($"{spec}: the file '{path}' does not exist.");
    }
}
