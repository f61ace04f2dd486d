using Cadre.Models;
using Cadre.Ollama;
using Cadre.OpenAI;
using Cadre.Testing;

namespace Cadre.Hosting;

/// <summary>Every model provider a host serves specs with: <c>openai</c> (Cadre.OpenAI), <c>ollama</c>
/// (Cadre.Ollama), <c>replay</c> and <c>scripted</c> (Cadre.Testing), so a spec runs the same from the <c>cadre</c>
/// command, a web host or an MCP server.</summary>
public static class HostedModels
{
    /// <summary>Options that resolve every provider Cadre ships, record into <paramref name="recordPath"/> and inject
    /// <paramref name="chaos"/>'s faults, when given.</summary>
    /// <param name="options">The options to extend.</param>
    /// <param name="recordPath">A cassette file every call through the chain is recorded into; none when null.</param>
    /// <param name="chaos">Faults and latency for every model call; none when null.</param>
    /// <returns>A copy of <paramref name="options"/>; the original is unchanged.</returns>
    public static ModelOptions AddTo(ModelOptions options, string? recordPath = null, Chaos? chaos = null) =>
        OllamaModels.AddTo(OpenAIModels.AddTo(TestingModels.AddTo(options, recordPath, chaos)));
}
