using System.ClientModel;
using Cadre.Models;
using Cadre.Observability;
using Cadre.OpenAI;
using Cadre.Resilience;
using Cadre.Testing;
using Cadre.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Resilience;

/// <summary>Model specs become protected clients and fallback chains with degradation levels; against a real
/// OpenAI-compatible server on 127.0.0.1 the provider's own failures are classified and retried.</summary>
public sealed class ModelChainTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private ModelOptions Options(Dictionary<string, string?>? environment = null, IRunObserver? observer = null) => OpenAIModels.AddTo(TestingModels.AddTo(new ModelOptions
    {
        BaseDirectory = _dir.Path,
        Time = _time,
        GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
        Resilience = new ResilienceOptions { Retry = new RetryOptions { UseJitter = false }, Breaker = new BreakerOptions { MinimumThroughput = 4 }, Observer = observer },
        Degradation = new DegradationOptions { Observer = observer },
    }));

    private string Script(string name, params string[] texts)
    {
        _dir.Write(name, "[" + string.Join(",", texts.Select(t => $"{{\"text\":\"{t}\"}}")) + "]");
        return name;
    }

    [Fact]
    public void A_list_becomes_a_chain_whose_levels_follow_the_list()
    {
        Script("a.json", "a");
        Script("b.json", "b");
        Script("c.json", "c");
        _dir.Write("x.cassette.json", "{\"interactions\":[]}");

        using var chain = ModelChain.Parse("scripted:a.json, scripted:b.json, scripted:c.json, replay:x.cassette.json", Options());

        Assert.NotNull(chain.Chain);
        Assert.Equal(["full", "reduced", "minimal", "recorded"], chain.Levels.Select(l => l.Name));
        Assert.Equal([true, true, false, true], chain.Levels.Select(l => l.ToolsEnabled));
        Assert.Equal("full scripted:a.json → reduced scripted:b.json → minimal scripted:c.json (no tools) → recorded replay:x.cassette.json", chain.DescribeLevels());
        Assert.All(chain.Levels, l => Assert.NotNull(l.Client.GetService<ResilientChatClient>()));
    }

    [Fact]
    public void A_model_can_set_its_level_name_tools_and_token_cap()
    {
        Script("a.json", "a");
        Script("b.json", "b");

        using var chain = ModelChain.Parse("scripted:a.json, scripted:b.json?level=backup&tools=off&max_tokens=128", Options());

        var backup = chain.Levels[1];
        Assert.Equal(("backup", false, 128), (backup.Name, backup.ToolsEnabled, backup.MaxOutputTokens));
        Assert.Equal("scripted:b.json?tools=off&max_tokens=128&level=backup", ModelSpec.Parse("scripted:b.json?level=backup&tools=off&max_tokens=128").ToString());
    }

    [Theory]
    [InlineData("openai:gpt-4o?tools=maybe")]
    [InlineData("openai:gpt-4o?max_tokens=-3")]
    [InlineData("openai:gpt-4o?colour=red")]
    [InlineData("openai:gpt-4o?delay=100")]
    public void A_malformed_option_is_a_clear_error(string spec)
    {
        var error = Assert.Throws<ModelSpecException>(() => ModelSpec.Parse(spec));

        Assert.Contains(spec, error.Message);
    }

    [Fact]
    public void One_model_is_protected_without_a_chain()
    {
        Script("a.json", "a");

        using var chain = ModelChain.Parse("scripted:a.json", Options());

        Assert.Null(chain.Chain);
        Assert.NotNull(chain.Client.GetService<ResilientChatClient>());
    }

    [Fact]
    public async Task Models_of_a_chain_share_circuits_with_every_chain_built_from_the_same_options()
    {
        Script("a.json", "a");
        var options = Options();

        using var first = ModelChain.Parse("scripted:a.json", options);
        using var second = ModelChain.Parse("scripted:a.json, scripted:a.json", options);

        Assert.Same(first.Client.GetService<ResilientChatClient>()!.Circuits, second.Levels[0].Client.GetService<ResilientChatClient>()!.Circuits);
        Assert.Equal("a", (await first.Client.GetResponseAsync("hi")).Text);
    }

    [Fact]
    public async Task Against_a_real_server_a_429_is_retried_after_its_Retry_After_header()
    {
        await using var server = await OpenAIStubServer.StartAsync();
        server.Enqueue(OpenAIStubServer.StubReply.Error(429, retryAfter: "3"), OpenAIStubServer.StubReply.Say("hello over http"));
        var events = new EventLog();
        using var chain = ModelChain.Parse("openai:gpt-test", Options(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "k", ["OPENAI_BASE_URL"] = server.BaseUrl.ToString() }, events));

        var response = await _time.DriveAsync(chain.Client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(500));

        Assert.Equal("hello over http", response.Text);
        Assert.Equal(2, server.Requests.Count);
        var retry = Assert.Single(events.Of<ModelCallRetrying>());
        Assert.Equal(TimeSpan.FromSeconds(3), retry.Delay);
        Assert.StartsWith("429", retry.Error);
    }

    [Fact]
    public async Task Against_a_real_server_a_401_is_not_retried()
    {
        await using var server = await OpenAIStubServer.StartAsync();
        server.Enqueue(OpenAIStubServer.StubReply.Error(401), OpenAIStubServer.StubReply.Say("never"));
        using var chain = ModelChain.Parse("openai:gpt-test", Options(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "k", ["OPENAI_BASE_URL"] = server.BaseUrl.ToString() }));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chain.Client.GetResponseAsync("hi"));

        Assert.Equal(401, error.Status);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Against_a_real_server_that_stays_down_the_chain_serves_from_the_next_level()
    {
        await using var server = await OpenAIStubServer.StartAsync();
        server.Enqueue(Enumerable.Repeat(OpenAIStubServer.StubReply.Error(503), 10).ToArray());
        Script("backup.json", "from the backup");
        var events = new EventLog();
        using var chain = ModelChain.Parse("openai:gpt-test, scripted:backup.json", Options(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "k", ["OPENAI_BASE_URL"] = server.BaseUrl.ToString() }, events));

        var response = await _time.DriveAsync(chain.Client.GetResponseAsync("hi"), TimeSpan.FromSeconds(1));

        Assert.Equal("from the backup", response.Text);
        Assert.Equal("reduced", ServedLevel.Of(response)!.Name);
        Assert.Equal(4, server.Requests.Count); // the first attempt and three retries
        Assert.Equal(3, events.Of<ModelCallRetrying>().Count);
        Assert.Contains(events.Of<CircuitStateChanged>(), e => e.Provider == "openai:gpt-test" && e.State == Polly.CircuitBreaker.CircuitState.Open);
    }
}
