using Cadre.Memory;
using Cadre.Models;
using Cadre.Ollama;
using Cadre.OpenAI;
using Microsoft.Extensions.AI;

namespace Cadre.Embeddings;

/// <summary>
/// Embedders named like models, for specs (<c>memory: { embeddings: local:arctic-xs }</c>), the command line
/// (<c>--embeddings</c>) and code: <c>local:arctic-xs</c> (the default: offline, weights shipped with Cadre),
/// <c>local:minilm</c>, <c>hashing</c> (no model; matches shared words and word parts only),
/// <c>openai:text-embedding-3-small</c> (OPENAI_API_KEY / OPENAI_BASE_URL) and <c>ollama:nomic-embed-text</c>
/// (OLLAMA_HOST or localhost:11434).
/// </summary>
public static class EmbeddingCatalog
{
    /// <summary>The embedder used when none is named: the bundled arctic-xs model, which works offline.</summary>
    public const string DefaultName = "local:arctic-xs";

    /// <summary>The names <see cref="Parse"/> takes, for help texts and errors.</summary>
    public static IReadOnlyList<string> Examples { get; } =
        ["local:arctic-xs", "local:minilm", "hashing", "openai:text-embedding-3-small", "ollama:nomic-embed-text"];

    /// <summary>The default embedder: <c>local:arctic-xs</c>, loaded once per process.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Default => LocalEmbeddingGenerator.For(LocalEmbeddingModel.ArcticXs);

    /// <summary>Makes the embedder a name stands for.</summary>
    /// <param name="name">An embedder name (see <see cref="Examples"/>); the default when null or blank.</param>
    /// <param name="options">Environment and HTTP settings, as for models.</param>
    /// <exception cref="ModelSpecException">The name is not one the catalog knows; the message lists those it does.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Parse(string? name, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        name = string.IsNullOrWhiteSpace(name) ? DefaultName : name.Trim();
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var provider = (colon < 0 ? name : name[..colon]).ToLowerInvariant();
        var target = colon < 0 ? "" : name[(colon + 1)..].Trim();
        switch (provider)
        {
            case "hashing" when target.Length == 0:
                return HashingEmbeddingGenerator.Default;
            case "local":
                var model = LocalEmbeddingModel.All.FirstOrDefault(m => string.Equals(m.Name, target, StringComparison.OrdinalIgnoreCase))
                    ?? throw Unknown(name, $"the local models are {string.Join(", ", LocalEmbeddingModel.All.Select(m => "local:" + m.Name))}");
                return LocalEmbeddingGenerator.For(model);
            case "openai" when target.Length > 0:
                return OpenAI(target, options);
            case "ollama" when target.Length > 0:
                return OllamaModels.Client(target, null, options);
            default:
                throw Unknown(name, "name the model too, like " + string.Join(", ", Examples));
        }
    }

    private static IEmbeddingGenerator<string, Embedding<float>> OpenAI(string model, ModelOptions options)
    {
        try
        {
            var (clientOptions, credential) = OpenAIModels.ClientOptions(options);
            return new global::OpenAI.Embeddings.EmbeddingClient(model, credential, clientOptions).AsIEmbeddingGenerator();
        }
        catch (ModelNotConfiguredException unavailable)
        {
            throw new ModelSpecException($"Embeddings 'openai:{model}' need OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server); or use the offline default '{DefaultName}'.", unavailable);
        }
    }

    private static ModelSpecException Unknown(string name, string hint) =>
        new($"Unknown embeddings '{name}': {hint}.");
}
