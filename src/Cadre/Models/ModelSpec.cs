using System.Globalization;

namespace Cadre.Models;

/// <summary>
/// One model, written as a string usable on the command line, in specs and in code:
/// <c>openai:&lt;model&gt;</c>, <c>ollama:&lt;model&gt;[@url]</c>, <c>replay:&lt;cassette.json&gt;</c>,
/// <c>scripted:&lt;script.json&gt;</c>; <c>replay:</c> and <c>scripted:</c> take <c>?delay=&lt;ms&gt;</c>; any model
/// takes its degradation level's limits: <c>?tools=off&amp;max_tokens=256&amp;level=minimal</c>. A comma-separated list
/// (<see cref="ParseList"/>) is a fallback chain with degradation levels, tried in order.
/// </summary>
/// <param name="Provider">The provider: <c>openai</c>, <c>ollama</c>, <c>replay</c> or <c>scripted</c>.</param>
/// <param name="Target">The model name, or the file for <c>replay</c> and <c>scripted</c>.</param>
/// <param name="Endpoint">The server's URL (<c>ollama:model@url</c>), if given.</param>
/// <param name="Delay">The per-call latency (<c>?delay=ms</c>), if given.</param>
public sealed record ModelSpec(string Provider, string Target, Uri? Endpoint = null, TimeSpan? Delay = null)
{
    /// <summary>Whether this model is offered the agents' tools when it serves in a fallback chain (<c>?tools=on|off</c>);
    /// by its position in the chain when null.</summary>
    public bool? Tools { get; init; }

    /// <summary>The most output tokens a call may produce at this model's level (<c>?max_tokens=n</c>), if capped.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The degradation level's name (<c>?level=name</c>); by its position in the chain when null.</summary>
    public string? Level { get; init; }

    /// <summary>The provider, model and endpoint without options: the key of its circuit breaker.</summary>
    public string Name => Endpoint is null ? $"{Provider}:{Target}" : $"{Provider}:{Target}@{ShownEndpoint}";

    /// <summary>The providers Cadre knows.</summary>
    public static IReadOnlyList<string> Providers { get; } = ["openai", "ollama", "replay", "scripted"];

    /// <summary>Parses one model spec.</summary>
    /// <param name="text">The spec, e.g. <c>ollama:llama3.1@http://localhost:11434</c>.</param>
    /// <exception cref="ModelSpecException">The text is not a model spec; the message says how to write one.</exception>
    public static ModelSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = text.Trim();
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == spec.Length - 1)
        {
            throw new ModelSpecException($"'{spec}' is not a model spec. Write <provider>:<model>, for example openai:gpt-4o-mini, " +
                                         "ollama:llama3.1@http://localhost:11434, replay:answers.cassette.json or scripted:script.json.");
        }

        var provider = spec[..colon].ToLowerInvariant();
        var rest = spec[(colon + 1)..];
        if (!Providers.Contains(provider))
        {
            throw new ModelSpecException($"'{spec}' names an unknown provider '{provider}'. Known providers: {string.Join(", ", Providers)}.");
        }

        TimeSpan? delay = null;
        bool? tools = null;
        int? maxTokens = null;
        string? level = null;
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            foreach (var pair in rest[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                var value = parts.Length == 2 ? parts[1] : "";
                switch (parts[0])
                {
                    case "delay" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0:
                        if (provider is not ("replay" or "scripted"))
                        {
                            throw new ModelSpecException($"'{spec}': ?delay= is for replay: and scripted: models.");
                        }

                        delay = TimeSpan.FromMilliseconds(ms);
                        break;
                    case "tools" when value is "on" or "off":
                        tools = value == "on";
                        break;
                    case "max_tokens" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0:
                        maxTokens = max;
                        break;
                    case "level" when value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'):
                        level = value;
                        break;
                    default:
                        throw new ModelSpecException($"'{spec}': unknown or malformed option '{pair}'. Options: ?delay=<milliseconds> (replay: and scripted: only), " +
                                                     "tools=on|off, max_tokens=<n>, level=<name>; join them with &.");
                }
            }

            rest = rest[..query];
        }

        Uri? endpoint = null;
        if (provider == "ollama")
        {
            var at = rest.IndexOf('@', StringComparison.Ordinal);
            if (at >= 0)
            {
                if (!Uri.TryCreate(rest[(at + 1)..], UriKind.Absolute, out endpoint))
                {
                    throw new ModelSpecException($"'{spec}': '{rest[(at + 1)..]}' is not a URL; write ollama:<model>@http://host:11434.");
                }

                rest = rest[..at];
            }
        }

        if (rest.Length == 0)
        {
            throw new ModelSpecException($"'{spec}' names no model{(provider is "replay" or "scripted" ? " file" : "")}.");
        }

        return new ModelSpec(provider, rest, endpoint, delay) { Tools = tools, MaxTokens = maxTokens, Level = level };
    }

    /// <summary>Parses a comma-separated fallback chain.</summary>
    /// <param name="text">The chain, e.g. <c>openai:gpt-4o-mini, replay:support.cassette.json</c>.</param>
    /// <returns>The specs, in order.</returns>
    /// <exception cref="ModelSpecException">A spec is malformed, or the list is empty.</exception>
    public static IReadOnlyList<ModelSpec> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new ModelSpecException("No model given. Write <provider>:<model>, for example openai:gpt-4o-mini; a comma-separated list is a fallback chain.");
        }

        return parts.Select(Parse).ToList();
    }

    // Credentials in the URL (http://user:password@host) are never shown or stored; the client still uses them.
    private string? ShownEndpoint => Endpoint is null ? null : Security.SecretRedactor.RedactUrlCredentials(Endpoint.OriginalString);

    /// <inheritdoc />
    public override string ToString()
    {
        var text = $"{Provider}:{Target}";
        if (Endpoint is not null)
        {
            text += "@" + ShownEndpoint;
        }

        var options = new List<string>();
        if (Delay is { } delay)
        {
            options.Add("delay=" + delay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture));
        }

        if (Tools is bool tools)
        {
            options.Add(tools ? "tools=on" : "tools=off");
        }

        if (MaxTokens is int max)
        {
            options.Add("max_tokens=" + max.ToString(CultureInfo.InvariantCulture));
        }

        if (Level is not null)
        {
            options.Add("level=" + Level);
        }

        return options.Count == 0 ? text : text + "?" + string.Join('&', options);
    }
}
