using Cadre.Resilience;
using Microsoft.Extensions.AI;

namespace Cadre.Models;

/// <summary>
/// A parsed model spec: each link of the fallback chain with its client or the reason it cannot serve, and one
/// <see cref="Client"/> that serves from them. Every available model is protected by a
/// <see cref="ResilientChatClient"/> (timeout, retries, its provider's circuit breaker) over a
/// <see cref="ValidatingChatClient"/> (an empty or malformed reply is a failure); several make a
/// <see cref="DegradingChatClient"/> whose levels follow the list: the first model is <c>full</c>, the next
/// <c>reduced</c>, any further ones <c>minimal</c> (without tools), and <c>replay:</c> cassettes are
/// <c>recorded</c>; <c>?level=</c>, <c>?tools=</c> and <c>?max_tokens=</c> on a model override that.
/// </summary>
public sealed class ModelChain : IDisposable
{
    private ModelChain(IReadOnlyList<ModelLink> links, IReadOnlyList<DegradationLevel> levels, DegradingChatClient? chain, IChatClient client)
    {
        Links = links;
        Levels = levels;
        Chain = chain;
        Client = client;
    }

    /// <summary>The links, in order.</summary>
    public IReadOnlyList<ModelLink> Links { get; }

    /// <summary>The client that tries the available links in order.</summary>
    public IChatClient Client { get; }

    /// <summary>The degradation levels of the available links, best first.</summary>
    public IReadOnlyList<DegradationLevel> Levels { get; }

    /// <summary>The fallback chain, when more than one link can serve.</summary>
    public DegradingChatClient? Chain { get; }

    /// <summary>The first link that can serve.</summary>
    public ModelLink Serving => Links.First(l => l.IsAvailable);

    /// <summary>True when the first link that can serve plays recorded answers (the host should say so).</summary>
    public bool ServesRecordings => Serving.Spec.Provider is "replay" or "scripted";

    /// <summary>Parses a model spec (a comma-separated list is a fallback chain) and builds its clients.</summary>
    /// <param name="spec">The spec, e.g. <c>openai:gpt-4o-mini, replay:support.cassette.json</c>.</param>
    /// <param name="options">Where files, keys and HTTP come from.</param>
    /// <exception cref="ModelSpecException">The spec is malformed, names a missing file, or no link can serve (the
    /// message gives each link's reason).</exception>
    public static ModelChain Parse(string spec, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        var links = ModelSpec.ParseList(spec).Select(s => Create(s, options)).ToList();
        if (!links.Any(l => l.IsAvailable))
        {
            throw new ModelSpecException("No model in '" + spec + "' can serve: " +
                string.Join("; ", links.Select(l => $"{l.Spec} — {l.Unavailable}")) + ".");
        }

        var levels = LevelsFor(links, options);
        var chain = levels.Count > 1
            ? new DegradingChatClient(levels, (options.Degradation ?? new DegradationOptions()) with { Time = options.Time, LeaveOpen = true })
            : null;
        IChatClient client = chain ?? levels[0].Client;
        if (options.WrapChain is { } wrap)
        {
            client = wrap(client);
        }

        return new ModelChain(links, levels, chain, client);
    }

    /// <summary>Says which levels the chain has, in one line for people: <c>full openai:gpt-4o-mini → recorded
    /// replay:support.cassette.json</c>.</summary>
    public string DescribeLevels() => string.Join(" → ", Levels.Select(l =>
        $"{l.Name} {l.Model}{(l.ToolsEnabled ? "" : " (no tools)")}{(l.MaxOutputTokens is int max ? $" (≤{max} tokens)" : "")}"));

    /// <summary>Says which model serves and why earlier links do not, in one line for people.</summary>
    public string Describe()
    {
        var skipped = Links.TakeWhile(l => !l.IsAvailable).Select(l => $"{l.Spec} is not configured ({l.Unavailable})").ToList();
        var serving = Serving.Spec;
        var text = Levels.Count > 1
            ? "fallback chain: " + DescribeLevels()
            : ServesRecordings
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

    private static List<DegradationLevel> LevelsFor(IReadOnlyList<ModelLink> links, ModelOptions options)
    {
        var levels = new List<DegradationLevel>();
        var models = 0;
        foreach (var link in links)
        {
            var spec = link.Spec;
            var recorded = spec.Provider == "replay";
            var position = recorded ? -1 : models++;
            if (!link.IsAvailable)
            {
                continue;
            }

            var name = spec.Level ?? (recorded ? DegradationLevel.Recorded : position switch
            {
                0 => DegradationLevel.Full,
                1 => DegradationLevel.Reduced,
                _ => DegradationLevel.Minimal,
            });
            IChatClient client = link.Client!;
            if (options.WrapModel is { } wrap)
            {
                client = wrap(client, spec.Name);
            }

            var resilience = (options.Resilience ?? new ResilienceOptions()) with { Provider = spec.Name, Time = options.Time, Circuits = options.Circuits };
            if (links.Count(l => l.IsAvailable) == 1)
            {
                // Nothing to fall back to: wait for an open circuit to let a trial call through rather than give up.
                resilience = resilience with { Retry = resilience.Retry with { WaitOutOpenCircuit = true } };
            }

            client = new ResilientChatClient(new ValidatingChatClient(client), resilience);
            levels.Add(new DegradationLevel(name, client)
            {
                Model = spec.Name,
                ToolsEnabled = spec.Tools ?? !(position >= 2 && spec.Level is null),
                MaxOutputTokens = spec.MaxTokens,
            });
        }

        return levels;
    }

    private static ModelLink Create(ModelSpec spec, ModelOptions options)
    {
        if (options.Providers.TryGetValue(spec.Provider, out var create))
        {
            try
            {
                return new ModelLink(spec, create(spec, options), null);
            }
            catch (ModelNotConfiguredException unavailable)
            {
                return new ModelLink(spec, null, unavailable.Message);
            }
        }

        throw spec.Provider switch
        {
            "openai" => NotAdded(spec, "Cadre.OpenAI", "OpenAIModels.AddTo(options)"),
            "ollama" => NotAdded(spec, "Cadre.Ollama", "OllamaModels.AddTo(options)"),
            "replay" or "scripted" => NotAdded(spec, "Cadre.Testing", "TestingModels.AddTo(options)"),
            _ => new ModelSpecException($"Unknown provider '{spec.Provider}'."),
        };
    }

    private static ModelSpecException NotAdded(ModelSpec spec, string package, string call) =>
        new($"{spec}: {spec.Provider}: models come from {package}; add them with {call}.");
}
