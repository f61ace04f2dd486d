using Cadre.Models;
using Microsoft.Extensions.AI;
using OllamaSharp;

namespace Cadre.Ollama;

/// <summary>
/// Adds the <c>ollama:&lt;model&gt;[@endpoint]</c> provider to <see cref="ModelOptions"/>: a model served by Ollama at
/// the spec's endpoint, else <c>OLLAMA_HOST</c>, else <c>http://localhost:11434</c>.
/// </summary>
public static class OllamaModels
{
    /// <summary>Where Ollama listens when a model names no endpoint.</summary>
    public static Uri DefaultEndpoint { get; } = new("http://localhost:11434");

    /// <summary>Options that also resolve <c>ollama:</c> models.</summary>
    /// <param name="options">The options to extend; their <see cref="ModelOptions.HttpClient"/>, if set, carries the
    /// calls.</param>
    /// <returns>A copy of <paramref name="options"/>; the original is unchanged.</returns>
    public static ModelOptions AddTo(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with
        {
            Providers = new Dictionary<string, Func<ModelSpec, ModelOptions, IChatClient>>(options.Providers, StringComparer.Ordinal)
            {
                ["ollama"] = static (spec, o) => Client(spec.Target, spec.Endpoint, o),
            },
        };
    }

    /// <summary>An Ollama client of one model (chat and embeddings), over <see cref="ModelOptions.HttpClient"/> when
    /// set (its base address becomes the endpoint unless it has one).</summary>
    /// <param name="model">The model's name, e.g. <c>llama3.1</c>.</param>
    /// <param name="endpoint">The server; <c>OLLAMA_HOST</c>, else <see cref="DefaultEndpoint"/>, when null.</param>
    /// <param name="options">Where the environment and HTTP come from.</param>
    /// <returns>A client that is both an <see cref="IChatClient"/> and an embedding generator.</returns>
    public static OllamaApiClient Client(string model, Uri? endpoint, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        endpoint ??= Uri.TryCreate(options.GetEnvironmentVariable("OLLAMA_HOST") ?? "", UriKind.Absolute, out var host) ? host : DefaultEndpoint;
        if (options.HttpClient is not null)
        {
            options.HttpClient.BaseAddress ??= endpoint;
            return new OllamaApiClient(options.HttpClient, model);
        }

        return new OllamaApiClient(endpoint, model);
    }
}
