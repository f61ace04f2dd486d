using Cadre.Agents;
using Cadre.Hosting;
using Cadre.Models;
using Cadre.Ollama;
using Cadre.OpenAI;
using Cadre.Testing;
using Cadre.Tests.Support;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Models;

/// <summary>The openai: and ollama: providers live in Cadre.OpenAI and Cadre.Ollama: the core runs without them,
/// says which package and call add them, and a registered provider that cannot serve leaves the chain to fall back.</summary>
public sealed class ProviderPackageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("openai:gpt-4o-mini", "openai:gpt-4o-mini: openai: models come from Cadre.OpenAI; add them with OpenAIModels.AddTo(options).")]
    [InlineData("ollama:llama3.1", "ollama:llama3.1: ollama: models come from Cadre.Ollama; add them with OllamaModels.AddTo(options).")]
    public void A_provider_whose_package_is_not_added_names_the_package_and_the_call(string spec, string message)
    {
        // A key is set, so only the missing provider can be the reason.
        var error = Assert.Throws<ModelSpecException>(() => ModelChain.Parse(spec, TestingModels.AddTo(new ModelOptions { GetEnvironmentVariable = _ => "sk-test" })));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task An_added_openai_provider_without_a_key_cannot_serve_and_the_chain_falls_back()
    {
        _dir.Write("backup.json", """[{"text":"from the backup"}]""");
        var options = OpenAIModels.AddTo(TestingModels.AddTo(new ModelOptions { BaseDirectory = _dir.Path, GetEnvironmentVariable = _ => null }));

        using var chain = ModelChain.Parse("openai:gpt-4o-mini, scripted:backup.json", options);

        Assert.Equal(("openai", false, "OPENAI_API_KEY is not set"), (chain.Links[0].Spec.Provider, chain.Links[0].IsAvailable, chain.Links[0].Unavailable));
        Assert.Equal("scripted:backup.json", chain.Serving.Spec.ToString());
        Assert.StartsWith("openai:gpt-4o-mini is not configured (OPENAI_API_KEY is not set); ", chain.Describe(), StringComparison.Ordinal);
        Assert.Equal("from the backup", (await chain.Client.GetResponseAsync("hi")).Text);
    }

    [Fact]
    public void Adding_a_provider_keeps_the_others_and_leaves_the_original_options_alone()
    {
        var original = TestingModels.AddTo(new ModelOptions());

        var added = OllamaModels.AddTo(OpenAIModels.AddTo(original));

        Assert.Equal(["ollama", "openai", "replay", "scripted"], added.Providers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["replay", "scripted"], original.Providers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(added.Providers.Keys.Order(StringComparer.Ordinal), HostedModels.AddTo(new ModelOptions()).Providers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_core_assembly_references_neither_provider_sdk()
    {
        var references = typeof(Agent).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Microsoft.Extensions.AI.Abstractions", references);
        Assert.DoesNotContain(references, name => name is "OpenAI" or "Microsoft.Extensions.AI.OpenAI" or "OllamaSharp");
        Assert.Contains("Microsoft.Extensions.AI.OpenAI", typeof(OpenAIModels).Assembly.GetReferencedAssemblies().Select(a => a.Name));
        Assert.Contains("OllamaSharp", typeof(OllamaModels).Assembly.GetReferencedAssemblies().Select(a => a.Name));
    }
}
