using Cadre.Resilience;
using Cadre.Testing;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Resilience;

/// <summary>What counts as an unusable reply.</summary>
public sealed class ValidatingChatClientTests
{
    [Fact]
    public async Task Empty_replies_and_non_JSON_where_JSON_was_asked_for_are_rejected()
    {
        using var client = new ValidatingChatClient(new ScriptedChatClient([ScriptedReply.Say(" "), ScriptedReply.Say("not json"), ScriptedReply.Say("```json\n{\"a\":1}\n```")]));
        var json = new ChatOptions { ResponseFormat = ChatResponseFormat.Json };

        Assert.Contains("empty reply", (await Assert.ThrowsAsync<InvalidModelResponseException>(() => client.GetResponseAsync("x"))).Message);
        Assert.Contains("asked for JSON", (await Assert.ThrowsAsync<InvalidModelResponseException>(() => client.GetResponseAsync("x", json))).Message);
        Assert.Contains("\"a\":1", (await client.GetResponseAsync("x", json)).Text);
    }

    [Fact]
    public async Task A_tool_call_with_malformed_arguments_is_left_for_the_model_to_fix()
    {
        using var client = new ValidatingChatClient(new ScriptedChatClient([ScriptedReply.Call(new ScriptedToolCall("lookup", "{not json"))]));

        var response = await client.GetResponseAsync("x");

        Assert.NotNull(response.Messages.Single().Contents.OfType<FunctionCallContent>().Single().Exception);
    }

    [Fact]
    public async Task An_extra_check_can_reject_replies_too()
    {
        using var client = new ValidatingChatClient(new ScriptedChatClient([ScriptedReply.Say("I cannot help with that.")]),
            (response, _) => response.Text.StartsWith("I cannot", StringComparison.Ordinal) ? "the model refused" : null);

        Assert.Equal("the model refused", (await Assert.ThrowsAsync<InvalidModelResponseException>(() => client.GetResponseAsync("x"))).Message);
    }

    [Fact]
    public async Task An_empty_stream_fails_before_anything_reaches_the_caller()
    {
        using var empty = new ValidatingChatClient(new ScriptedChatClient([ScriptedReply.Say("")]));
        using var full = new ValidatingChatClient(new ScriptedChatClient([ScriptedReply.Say("streamed text")]));

        var updates = new List<ChatResponseUpdate>();
        await Assert.ThrowsAsync<InvalidModelResponseException>(async () =>
        {
            await foreach (var update in empty.GetStreamingResponseAsync("x"))
            {
                updates.Add(update);
            }
        });
        Assert.Empty(updates);

        var text = "";
        await foreach (var update in full.GetStreamingResponseAsync("x"))
        {
            text += update.Text;
        }

        Assert.Equal("streamed text", text);
    }
}
