using System.ClientModel;
using System.ClientModel.Primitives;
using Cadre.Models;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Cadre.OpenAI;

/// <summary>
/// Adds the <c>openai:&lt;model&gt;</c> provider to <see cref="ModelOptions"/>. The key is <c>OPENAI_API_KEY</c>;
/// <c>OPENAI_BASE_URL</c> points it at an OpenAI-compatible server (vLLM, llama.cpp, LM Studio), which may need no key.
/// With neither set, an <c>openai:</c> link cannot serve and a fallback chain moves on to its next model.
/// </summary>
public static class OpenAIModels
{
    /// <summary>Options that also resolve <c>openai:</c> models.</summary>
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
                ["openai"] = static (spec, o) => Create(spec, o),
            },
        };
    }

    /// <summary>The client options and key an OpenAI client of <paramref name="options"/> uses (chat models here,
    /// embeddings in Cadre.Embeddings): the endpoint from <c>OPENAI_BASE_URL</c> and the transport over
    /// <see cref="ModelOptions.HttpClient"/>.</summary>
    /// <param name="options">Where the environment and HTTP come from.</param>
    /// <returns>The client options and the credential.</returns>
    /// <exception cref="ModelNotConfiguredException">Neither <c>OPENAI_API_KEY</c> nor <c>OPENAI_BASE_URL</c> is
    /// set.</exception>
    /// <exception cref="ModelSpecException"><c>OPENAI_BASE_URL</c> is not a URL.</exception>
    public static (OpenAIClientOptions Options, ApiKeyCredential Credential) ClientOptions(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.GetEnvironmentVariable("OPENAI_API_KEY");
        var baseUrl = options.GetEnvironmentVariable("OPENAI_BASE_URL");
        if (string.IsNullOrWhiteSpace(key) && string.IsNullOrWhiteSpace(baseUrl))
        {
            throw new ModelNotConfiguredException("OPENAI_API_KEY is not set");
        }

        var clientOptions = new OpenAIClientOptions();
        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            clientOptions.Endpoint = Uri.TryCreate(baseUrl, UriKind.Absolute, out var endpoint)
                ? endpoint
                : throw new ModelSpecException($"OPENAI_BASE_URL '{baseUrl}' is not a URL.");
        }

        if (options.HttpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(options.HttpClient);
        }

        // OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) often need no key; the SDK still wants one.
        return (clientOptions, new ApiKeyCredential(string.IsNullOrWhiteSpace(key) ? "not-needed" : key));
    }

    private static IChatClient Create(ModelSpec spec, ModelOptions options)
    {
        var (clientOptions, credential) = ClientOptions(options);
        // Retries belong to Cadre's resilience layer, which sees every provider the same way.
        clientOptions.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        return new global::OpenAI.Chat.ChatClient(spec.Target, credential, clientOptions).AsIChatClient();
    }
}
