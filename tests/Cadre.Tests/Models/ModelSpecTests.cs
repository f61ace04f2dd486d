using Cadre.Models;
using Cadre.Ollama;
using Cadre.OpenAI;
using Cadre.Tests.Support;
using Cadre.Testing;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Models;

public sealed class ModelSpecTests
{
    [Theory]
    [InlineData("openai:gpt-4o-mini", "openai", "gpt-4o-mini", null, null)]
    [InlineData("  OpenAI:gpt-4o ", "openai", "gpt-4o", null, null)]
    [InlineData("ollama:llama3.1", "ollama", "llama3.1", null, null)]
    [InlineData("ollama:llama3.1@http://gpu-box:11434", "ollama", "llama3.1", "http://gpu-box:11434/", null)]
    [InlineData("replay:support.cassette.json", "replay", "support.cassette.json", null, null)]
    [InlineData("replay:a/b.json?delay=250", "replay", "a/b.json", null, 250d)]
    [InlineData("scripted:script.json?delay=0.5", "scripted", "script.json", null, 0.5d)]
    public void Valid_specs_parse(string text, string provider, string target, string? endpoint, double? delayMs)
    {
        var spec = ModelSpec.Parse(text);
        Assert.Equal(provider, spec.Provider);
        Assert.Equal(target, spec.Target);
        Assert.Equal(endpoint, spec.Endpoint?.ToString());
        Assert.Equal(delayMs, spec.Delay?.TotalMilliseconds);
    }

    [Theory]
    [InlineData("gpt-4o", "is not a model spec. Write <provider>:<model>")]
    [InlineData("openai:", "is not a model spec")]
    [InlineData("anthropic:claude", "names an unknown provider 'anthropic'. Known providers: openai, ollama, replay, scripted.")]
    [InlineData("openai:gpt-4o?delay=5", "?delay= is for replay: and scripted: models.")]
    [InlineData("replay:x.json?delay=soon", "unknown or malformed option 'delay=soon'. Options: ?delay=<milliseconds>")]
    [InlineData("replay:x.json?speed=2", "unknown or malformed option 'speed=2'")]
    [InlineData("ollama:llama3@not a url", "is not a URL")]
    [InlineData(" , ", "No model given.")]
    public void Malformed_specs_say_what_is_wrong(string text, string message)
    {
        var error = Assert.Throws<ModelSpecException>(() => ModelSpec.ParseList(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comma_list_is_a_fallback_chain_in_order()
    {
        var chain = ModelSpec.ParseList("openai:gpt-4o-mini, ollama:llama3.1 ,replay:x.json");
        Assert.Equal(["openai:gpt-4o-mini", "ollama:llama3.1", "replay:x.json"], chain.Select(s => s.ToString()));
    }

    [Fact]
    public void An_unconfigured_openai_link_is_skipped_and_the_host_is_told_recordings_serve()
    {
        using var dir = new TempDirectory();
        new Cassette().Save(dir.Combine("c.json"));
        using var chain = ModelChain.Parse("openai:gpt-4o-mini, replay:c.json", OpenAIModels.AddTo(TestingModels.AddTo(new ModelOptions { BaseDirectory = dir.Path, GetEnvironmentVariable = _ => null })));

        Assert.False(chain.Links[0].IsAvailable);
        Assert.Equal("OPENAI_API_KEY is not set", chain.Links[0].Unavailable);
        Assert.True(chain.ServesRecordings);
        Assert.Equal("openai:gpt-4o-mini is not configured (OPENAI_API_KEY is not set); serving recorded responses from c.json (replay)", chain.Describe());
        Assert.IsType<ReplayChatClient>(chain.Client.GetService<ReplayChatClient>());
    }

    [Fact]
    public void A_chain_where_nothing_can_serve_gives_each_reason()
    {
        var error = Assert.Throws<ModelSpecException>(() => ModelChain.Parse("openai:gpt-4o-mini", OpenAIModels.AddTo(new ModelOptions { GetEnvironmentVariable = _ => null })));
        Assert.Equal("No model in 'openai:gpt-4o-mini' can serve: openai:gpt-4o-mini — OPENAI_API_KEY is not set.", error.Message);
    }

    [Fact]
    public void A_missing_cassette_or_script_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ModelSpecException>(() => ModelChain.Parse("replay:nope.json", TestingModels.AddTo(new ModelOptions { BaseDirectory = dir.Path })));
        Assert.Contains($"the file '{dir.Combine("nope.json")}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ollama_specs_build_an_ollama_client_for_the_given_server()
    {
        using var chain = ModelChain.Parse("ollama:llama3.1@http://127.0.0.1:1", OllamaModels.AddTo(new ModelOptions()));
        var metadata = chain.Client.GetService<ChatClientMetadata>();
        Assert.Equal("http://127.0.0.1:1/", metadata?.ProviderUri?.ToString());
        Assert.Equal("llama3.1", metadata?.DefaultModelId);
    }
}
