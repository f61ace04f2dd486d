using Cadre.Models;
using Cadre.Specs;
using Microsoft.Extensions.AI;

namespace Cadre.Testing;

/// <summary>
/// Adds what this package knows to <see cref="ModelOptions"/>: the <c>replay:&lt;cassette.json&gt;</c> and
/// <c>scripted:&lt;script.json&gt;</c> providers, recording every call into a cassette, and chaos. The core never
/// references Cadre.Testing; a host that runs specs naming these models (the <c>cadre</c> command, Cadre.Hosting, a
/// test) adds them here.
/// </summary>
public static class TestingModels
{
    /// <summary>Options that also resolve <c>replay:</c> and <c>scripted:</c> models, record into
    /// <paramref name="recordPath"/> and inject <paramref name="chaos"/>'s faults, when given.</summary>
    /// <param name="options">The options to extend.</param>
    /// <param name="recordPath">A cassette file every call through the chain is recorded into, relative to
    /// <see cref="ModelOptions.BaseDirectory"/>; none when null.</param>
    /// <param name="chaos">Faults and latency for every model call; share the instance with the tools so one seed drives
    /// both. None when null.</param>
    /// <returns>A copy of <paramref name="options"/>; the original is unchanged.</returns>
    public static ModelOptions AddTo(ModelOptions options, string? recordPath = null, Chaos? chaos = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var providers = new Dictionary<string, Func<ModelSpec, ModelOptions, IChatClient>>(options.Providers, StringComparer.Ordinal)
        {
            ["replay"] = static (spec, o) => new ReplayChatClient(Cassette.Load(o.RequireFile(spec)), Path.GetFileName(spec.Target), spec.Delay, o.Time),
            ["scripted"] = static (spec, o) => ScriptedChatClient.FromFile(o.RequireFile(spec), spec.Delay, o.Time),
        };
        return options with
        {
            Providers = providers,
            WrapModel = chaos is null ? options.WrapModel : chaos.Wrap,
            WrapChain = recordPath is null
                ? options.WrapChain
                : client => new RecordingChatClient(client, Path.GetFullPath(recordPath, options.BaseDirectory)),
        };
    }

    /// <summary>Options that build <paramref name="spec"/> with <c>replay:</c> and <c>scripted:</c> models resolved
    /// against its folder (or against the model options <paramref name="options"/> already has).</summary>
    /// <param name="spec">The spec to build.</param>
    /// <param name="options">Tools, memory and the rest; defaults when null.</param>
    /// <returns>The options, for <see cref="AgentSystem.Build"/>.</returns>
    public static AgentSystemOptions AddTo(SystemSpec spec, AgentSystemOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new AgentSystemOptions();
        return options with { ModelOptions = AddTo(options.ModelOptions ?? new ModelOptions { BaseDirectory = spec.Directory }) };
    }
}
