using Cadre.Agents;
using Cadre.Models;
using Cadre.Tests.Support;
using Cadre.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Models;

public sealed class CassetteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_recorded_conversation_replays_the_same_answers_and_tool_calls()
    {
        var path = _dir.Combine("rec.cassette.json");
        var tool = AIFunctionFactory.Create((string city) => $"sunny in {city}", "weather");
        var scripted = new ScriptedChatClient([ScriptedReply.Call("weather", new { city = "Lisbon" }), ScriptedReply.Say("It is sunny in Lisbon.")]);
        using (var recorder = new RecordingChatClient(scripted, path))
        {
            var recorded = await new Agent("forecaster", recorder, "Report the weather.").WithTools(tool).RunAsync("Weather in Lisbon?");
            Assert.Equal("It is sunny in Lisbon.", recorded.Text);
        }

        var cassette = Cassette.Load(path);
        Assert.Equal(2, cassette.Interactions.Count);
        Assert.All(cassette.Interactions, i => Assert.Equal("forecaster", i.Agent));

        var replay = new ReplayChatClient(cassette, "rec.cassette.json");
        var replayed = await new Agent("forecaster", replay, "Edited instructions do not matter.").WithTools(tool).RunAsync("Weather in Lisbon?");

        Assert.Equal("It is sunny in Lisbon.", replayed.Text);
        var call = Assert.Single(replayed.ToolCalls);
        Assert.Equal(("weather", "sunny in Lisbon"), (call.Tool, call.Result));
        Assert.Equal(cassette.Interactions.Sum(i => i.InputTokens), replayed.Usage.InputTokens);
    }

    [Fact]
    public async Task A_conversation_the_cassette_did_not_record_fails_with_how_to_configure_a_model()
    {
        var cassette = new Cassette();
        cassette.Add(new CassetteInteraction("", [new ChatMessage(ChatRole.User, "recorded task")], [new ChatMessage(ChatRole.Assistant, "recorded answer")], 1, 1, "m"));
        var replay = new ReplayChatClient(cassette, "support.cassette.json");

        var error = await Assert.ThrowsAsync<ReplayMissException>(() => replay.GetResponseAsync([new ChatMessage(ChatRole.User, "another task")]));

        Assert.Contains("The recorded answers in support.cassette.json do not cover this conversation", error.Message, StringComparison.Ordinal);
        Assert.Contains("last message user: another task", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"recorded task\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("--model openai:gpt-4o-mini (set OPENAI_API_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("--model ollama:llama3.1", error.Message, StringComparison.Ordinal);
        var answer = await replay.GetResponseAsync([new ChatMessage(ChatRole.System, "any instructions"), new ChatMessage(ChatRole.User, "recorded task")]);
        Assert.Equal("recorded answer", answer.Text);
    }

    [Fact]
    public async Task The_same_conversation_from_another_agent_is_a_miss()
    {
        var path = _dir.Combine("c.json");
        using (var recorder = new RecordingChatClient(new ScriptedChatClient([ScriptedReply.Say("a")]), path))
        {
            await new Agent("alice", recorder, "x").RunAsync("same words");
        }

        var replay = new ReplayChatClient(Cassette.Load(path));
        await Assert.ThrowsAsync<ReplayMissException>(() => new Agent("bob", replay, "x").RunAsync("same words"));
        Assert.Equal("a", (await new Agent("alice", replay, "x").RunAsync("same words")).Text);
    }

    [Fact]
    public void A_broken_cassette_file_is_a_clear_error()
    {
        var path = _dir.Write("bad.json", "{ \"interactions\": [ { \"agent\": ");
        var error = Assert.Throws<FormatException>(() => Cassette.Load(path));
        Assert.StartsWith($"{path}: not a valid cassette", error.Message, StringComparison.Ordinal);
        var wrongShape = _dir.Write("shape.json", "[1,2,3]");
        Assert.Contains("a cassette is a JSON object with an \"interactions\" array", Assert.Throws<FormatException>(() => Cassette.Load(wrongShape)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_delay_waits_on_the_given_clock()
    {
        var time = new FakeTimeProvider();
        var cassette = new Cassette();
        cassette.Add(new CassetteInteraction("", [new ChatMessage(ChatRole.User, "q")], [new ChatMessage(ChatRole.Assistant, "a")], 1, 1, null));
        var replay = new ReplayChatClient(cassette, delay: TimeSpan.FromSeconds(5), time: time);

        var pending = replay.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("a", (await pending).Text);
    }

    [Fact]
    public async Task Recording_through_a_model_chain_writes_the_cassette()
    {
        var script = _dir.Write("s.json", """{ "replies": [ { "text": "hi there" } ] }""");
        using (var chain = ModelChain.Parse("scripted:s.json", TestingModels.AddTo(new ModelOptions { BaseDirectory = _dir.Path }, recordPath: "out.cassette.json")))
        {
            await chain.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")]);
        }

        var interaction = Assert.Single(Cassette.Load(_dir.Combine("out.cassette.json")).Interactions);
        Assert.Equal("hi there", interaction.Response.Single().Text);
        Assert.True(File.Exists(script));
    }
}
