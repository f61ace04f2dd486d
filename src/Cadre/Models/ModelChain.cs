using System.ClientModel;
using System.ClientModel.Primitives;
using Cadre.Testing;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace Cadre.Models;

/// <summary>
/// A parsed model spec: each link of the fallback chain with its client or the reason it cannot serve, and one
/// <see cref="Client"/> that tries the available links in order (Microsoft.Extensions.AI's
/// <see cref="OrderedFailoverChatClient"/>).
/// </summary>
public sealed class ModelChain : IDisposable
{
    private ModelChain(IReadOnlyList<ModelLink> links, IChatClient client)
    {
        Links = links;
        Client = client;
    }

    /// <summary>The links, in order.</summary>
    public IReadOnlyList<ModelLink> Links { get; }

    /// <summary>The client that tries the available links in order.</summary>
    public IChatClient Client { get; }

    /// <summary>The first link that can serve.</summary>
    public ModelLink Serving => Links.First(l => l.IsAvailable);

    /// <summary>True when the first link that can serve plays recorded answers (the host should say so).</summary>
    public bool ServesRecordings => Serving.Spec.Provider is "replay" or "scripted";

    /// <summary>Parses a model spec (a comma-separated list is a fallback chain) and builds its clients.</summary>
    /// <param name="spec">The spec, e.g. <c>openai:gpt-4o-mini, replay:support.cassette.json</c>.</param>
    /// <param name="options">Where files, keys and HTTP come from.</param>
    /// <returns>The chain.</returns>
    /// <exception cref="ModelSpecException">The spec is malformed, names a missing file, or no link can serve (the
    /// message gives each link's reason).</exception>
    public static ModelChain Parse(string spec, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        var links = ModelSpec.ParseList(spec).Select(s => Create(s, options)).ToList();
        var available = links.Where(l => l.IsAvailable).Select(l => l.Client!).ToList();
        if (available.Count == 0)
        {
            throw new ModelSpecException("No model in '" + spec + "' can serve: " +
                string.Join("; ", links.Select(l => $"{l.Spec} — {l.Unavailable}")) + ".");
        }

        IChatClient client = available.Count == 1 ? available[0] : new OrderedFailoverChatClient(available, leaveOpen: true);
        if (options.RecordPath is { } record)
        {
            client = new RecordingChatClient(client, Path.GetFullPath(record, options.BaseDirectory));
        }

        return new ModelChain(links, client);
    }

    /// <summary>Says which model serves and why earlier links do not, in one line for people.</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        var skipped = Links.TakeWhile(l => !l.IsAvailable).Select(l => $"{l.Spec} is not configured ({l.Unavailable})").ToList();
        var serving = Serving.Spec;
        var text = ServesRecordings
            ? $"serving recorded responses from {serving.Target} ({serving.Provider})"
            : $"model {serving}";
        return skipped.Count == 0 ? text : string.Join("; ", skipped) + "; " + text;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Client.Dispose();
        foreach (var link in Links)
        {
            link.Client?.Dispose();
        }
    }

    private static ModelLink Create(ModelSpec spec, ModelOptions options) => spec.Provider switch
    {
        "openai" => CreateOpenAI(spec, options),
        "ollama" => CreateOllama(spec, options),
        "replay" => new ModelLink(spec, new ReplayChatClient(
            Cassette.Load(RequireFile(spec, options)), Path.GetFileName(spec.Target), spec.Delay, options.Time), null),
        "scripted" => new ModelLink(spec, ScriptedChatClient.FromFile(RequireFile(spec, options), spec.Delay, options.Time), null),
        _ => throw new ModelSpecException($"Unknown provider '{spec.Provider}'."),
    };

    private static ModelLink CreateOpenAI(ModelSpec spec, ModelOptions options)
    {
        var key = options.GetEnvironmentVariable("OPENAI_API_KEY");
        var baseUrl = options.GetEnvironmentVariable("OPENAI_BASE_URL");
        if (string.IsNullOrWhiteSpace(key) && string.IsNullOrWhiteSpace(baseUrl))
        {
            return new ModelLink(spec, null, "OPENAI_API_KEY is not set");
        }

        var clientOptions = new OpenAIClientOptions
        {
            // Retries belong to Cadre's resilience layer, which sees every provider the same way.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var endpoint))
            {
                throw new ModelSpecException($"OPENAI_BASE_URL '{baseUrl}' is not a URL.");
            }

            clientOptions.Endpoint = endpoint;
        }

        if (options.HttpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(options.HttpClient);
        }

        // OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) often need no key; the SDK still wants one.
        var credential = new ApiKeyCredential(string.IsNullOrWhiteSpace(key) ? "not-needed" : key);
        var client = new OpenAI.Chat.ChatClient(spec.Target, credential, clientOptions).AsIChatClient();
        return new ModelLink(spec, client, null);
    }

    private static ModelLink CreateOllama(ModelSpec spec, ModelOptions options)
    {
        var endpoint = spec.Endpoint ?? (Uri.TryCreate(options.GetEnvironmentVariable("OLLAMA_HOST") ?? "", UriKind.Absolute, out var host)
            ? host
            : new Uri("http://localhost:11434"));
        OllamaApiClient client;
        if (options.HttpClient is not null)
        {
            options.HttpClient.BaseAddress ??= endpoint;
            client = new OllamaApiClient(options.HttpClient, spec.Target);
        }
        else
        {
            client = new OllamaApiClient(endpoint, spec.Target);
        }

        return new ModelLink(spec, client, null);
    }

    private static string RequireFile(ModelSpec spec, ModelOptions options)
    {
        var path = Path.GetFullPath(spec.Target, options.BaseDirectory);
        return File.Exists(path)
            ? path
            : throw new ModelSpecException($"{spec}: the file '{path}' does not exist.");
    }
}
