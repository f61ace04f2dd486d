using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Testing;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Models;

public sealed class ScriptedChatClientTests
{
    [Fact]
    public async Task Replies_are_played_in_order_then_the_script_runs_out_clearly()
    {
        var client = new ScriptedChatClient([ScriptedReply.Say("one"), ScriptedReply.Say("two")]);
        Assert.Equal("one", (await client.GetResponseAsync("a")).Text);
        Assert.Equal("two", (await client.GetResponseAsync("b")).Text);
        var error = await Assert.ThrowsAsync<ScriptException>(() => client.GetResponseAsync("c"));
        Assert.Equal("The script has no reply left for call 3; it held 2 replies.", error.Message);
    }

    [Fact]
    public async Task A_reply_meant_for_another_agent_is_refused()
    {
        var client = new ScriptedChatClient([new ScriptedReply { Text = "for billing", Agent = "billing" }]);
        using var scope = AgentContext.Enter(new AgentContext { Agent = "triage" });
        var error = await Assert.ThrowsAsync<ScriptException>(() => client.GetResponseAsync("x"));
        Assert.Equal("Scripted reply 1 is for agent 'billing', but agent 'triage' asked.", error.Message);
    }

    [Fact]
    public async Task A_per_agent_script_gives_each_agent_its_next_reply_so_a_resumed_run_can_start_at_any_agent()
    {
        var dir = Directory.CreateTempSubdirectory("cadre-script-");
        try
        {
            var path = Path.Combine(dir.FullName, "script.json");
            File.WriteAllText(path, """
                { "order": "per-agent", "replies": [
                  { "agent": "triage", "text": "t1" }, { "agent": "billing", "text": "b1" }, { "agent": "billing", "text": "b2" }, { "text": "any" } ] }
                """);
            var client = ScriptedChatClient.FromFile(path);
            Assert.True(client.PerAgent);
            using (AgentContext.Enter(new AgentContext { Agent = "billing" }))
            {
                Assert.Equal("b1", (await client.GetResponseAsync("x")).Text);
                Assert.Equal("b2", (await client.GetResponseAsync("x")).Text);
                Assert.Equal("any", (await client.GetResponseAsync("x")).Text);
                var error = await Assert.ThrowsAsync<ScriptException>(() => client.GetResponseAsync("x"));
                Assert.Contains("no reply left", error.Message, StringComparison.Ordinal);
            }

            using (AgentContext.Enter(new AgentContext { Agent = "triage" }))
            {
                Assert.Equal("t1", (await client.GetResponseAsync("x")).Text);
            }

            File.WriteAllText(path, """{ "replies": [ { "agent": "triage", "text": "t1" } ] }""");
            Assert.False(ScriptedChatClient.FromFile(path).PerAgent);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task A_scripted_failure_carries_its_http_status()
    {
        var client = new ScriptedChatClient([ScriptedReply.Fail("rate limited", 429)]);
        var error = await Assert.ThrowsAsync<ModelCallException>(() => client.GetResponseAsync("x"));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, error.StatusCode);
    }

    [Fact]
    public void Script_files_parse_and_broken_ones_say_where()
    {
        var replies = ScriptedChatClient.ParseScript("""
            { "replies": [
              { "agent": "a", "toolCalls": [ { "name": "t", "arguments": { "x": 1 } }, { "name": "u", "arguments": "{broken" } ] },
              { "text": "done", "delayMs": 20 },
              { "error": "boom", "statusCode": 503 } ] }
            """);
        Assert.Equal(3, replies.Count);
        Assert.Equal([("t", """{"x":1}"""), ("u", "{broken")], replies[0].ToolCalls.Select(c => (c.Name, c.Arguments)));
        Assert.Equal(TimeSpan.FromMilliseconds(20), replies[1].Delay);
        Assert.Equal(503, replies[2].StatusCode);

        Assert.Equal("script: reply 1 has a tool call without a \"name\".",
            Assert.Throws<FormatException>(() => ScriptedChatClient.ParseScript("""[ { "toolCalls": [ { "arguments": {} } ] } ]""")).Message);
        Assert.StartsWith("s.json: not valid JSON",
            Assert.Throws<FormatException>(() => ScriptedChatClient.ParseScript("{", "s.json")).Message, StringComparison.Ordinal);
    }
}
