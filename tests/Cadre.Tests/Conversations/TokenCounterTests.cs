using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Conversations;

/// <summary>Counts of a message are cached per instance, and are counted again once the message is edited.</summary>
public sealed class TokenCounterTests
{
    private static readonly TokenCounter Counter = TokenCounter.Default;

    // A copy is a new instance, so the counter has not seen it: its count is the count of what the message now holds.
    private static int Fresh(ChatMessage message) =>
        Counter.CountTokens(new ChatMessage(message.Role, [.. message.Contents]) { AuthorName = message.AuthorName });

    [Fact]
    public void A_message_edited_after_it_was_counted_is_counted_again()
    {
        var message = new ChatMessage(ChatRole.User, "Is INV-1001 paid?");
        var first = Counter.CountTokens(message);
        Assert.Equal(first, Counter.CountTokens(message));

        ((TextContent)message.Contents[0]).Text = "Is INV-1001 paid, and was the customer charged twice for it last week?";
        Assert.True(Counter.CountTokens(message) > first);
        Assert.Equal(Fresh(message), Counter.CountTokens(message));

        message.Contents.Add(new TextContent("Please check the card charges as well."));
        Assert.Equal(Fresh(message), Counter.CountTokens(message));

        message.AuthorName = "billing_agent";
        Assert.Equal(Fresh(message), Counter.CountTokens(message));

        message.Contents[1] = new FunctionResultContent("call_1", "paid on 2026-11-02");
        Assert.Equal(Fresh(message), Counter.CountTokens(message));

        message.Contents.RemoveAt(0);
        Assert.Equal(Fresh(message), Counter.CountTokens(message));
    }

    [Fact]
    public async Task A_window_drops_a_message_that_grew_past_the_budget_after_it_was_counted()
    {
        var grows = new ChatMessage(ChatRole.User, "Our customer wrote about invoice INV-1001 and the card charge.");
        List<ChatMessage> history = [new(ChatRole.System, "You help."), grows, new(ChatRole.Assistant, "Which invoice?"), new(ChatRole.User, "Is it paid?")];
        var window = new ContextWindow(60, Counter);
        Assert.Equal(history, await window.FitAsync(history));

        ((TextContent)grows.Contents[0]).Text = string.Join(' ', Enumerable.Repeat("The customer wrote again about the refund.", 12));
        var fitted = await window.FitAsync(history);

        Assert.DoesNotContain(grows, fitted);
        Assert.True(fitted.Sum(Counter.CountTokens) <= 60);
    }
}
