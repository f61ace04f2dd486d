using Microsoft.Extensions.AI;

namespace Cadre.Models;

/// <summary>Turns model specs into chat clients: <c>Models.Parse("openai:gpt-4o-mini, replay:support.cassette.json")</c>.</summary>
public static class ModelCatalog
{
    /// <summary>Parses a model spec (a comma-separated list is a fallback chain) into one chat client.</summary>
    /// <param name="spec">One model (<c>openai:gpt-4o-mini</c>) or a comma-separated fallback chain, tried in order; at
    /// least one must be able to serve (an unset key makes an OpenAI model unable to).</param>
    /// <param name="options">Where files, keys and HTTP come from.</param>
    /// <exception cref="ModelSpecException">The spec is malformed or no link can serve.</exception>
    public static IChatClient Parse(string spec, ModelOptions? options = null) => ModelChain.Parse(spec, options).Client;
}
