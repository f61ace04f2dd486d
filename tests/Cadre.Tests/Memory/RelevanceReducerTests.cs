using Cadre.Conversations;
using Cadre.Memory;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Memory;

/// <summary>The relevance reducer keeps the turns most related to the task, in their original order.</summary>
public sealed class RelevanceReducerTests
{
    private static List<ChatMessage> History()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "You are Acme's support agent.") };
        void Turn(string user, string assistant)
        {
            history.Add(new ChatMessage(ChatRole.User, user));
            history.Add(new ChatMessage(ChatRole.Assistant, assistant));
        }

        Turn("My invoice INV-1001 was charged twice on my card ending 4242.", "I see two charges of 49.00 USD for INV-1001.");
        Turn("By the way, the weather in Lisbon has been lovely this week.", "Glad to hear the sun is out in Lisbon!");
        Turn("Our team also plays football on Thursdays after work.", "Football on Thursdays sounds like fun.");
        Turn("I tried the mobile app and the dark mode looks nice.", "Thanks, the design team will be happy.");
        Turn("My colleague recommended a great pasta restaurant downtown.", "Enjoy the pasta!");
        Turn("Remind me, what did we say about lunch plans?", "You mentioned pasta downtown.");
        history.Add(new ChatMessage(ChatRole.User, "So what happens with the refund for the duplicate charge on INV-1001?"));
        return history;
    }

    [Fact]
    public async Task The_turns_about_the_task_are_kept_in_order_and_unrelated_ones_dropped_within_budget()
    {
        var history = History();
        var budget = Tokens(history[0], history[1], history[2], history[^1]) + 3;

        var reduced = (await new RelevanceReducer(budget, options: new RelevanceReducerOptions { RecencyWeight = 0 }).ReduceAsync(history, default)).ToList();

        Assert.InRange(reduced.Sum(TokenCounter.Default.CountTokens), 1, budget);
        Assert.Equal(history[0], reduced[0]);
        Assert.Equal(history[1], reduced[1]);
        Assert.Equal(history[2], reduced[2]);
        Assert.Equal(history[^1], reduced[^1]);
        Assert.DoesNotContain(history[5], reduced); // football
        var positions = reduced.Select(m => history.IndexOf(m)).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task With_recency_weight_the_newest_turns_compete_with_relevant_ones()
    {
        var history = History();
        var budget = Tokens(history[0], history[1], history[2], history[^2], history[^1]) + 3;

        var byRelevance = (await new RelevanceReducer(budget, options: new RelevanceReducerOptions { RecencyWeight = 0 }).ReduceAsync(history, default)).ToList();
        var withRecency = (await new RelevanceReducer(budget, options: new RelevanceReducerOptions { RecencyWeight = 3 }).ReduceAsync(history, default)).ToList();

        Assert.DoesNotContain(history[^2], byRelevance);
        Assert.Contains(history[^2], withRecency); // "You mentioned pasta downtown." is the newest turn
    }

    private static int Tokens(params ChatMessage[] messages) => messages.Sum(TokenCounter.Default.CountTokens);

    [Fact]
    public async Task A_tool_call_is_kept_or_dropped_together_with_its_result()
    {
        var history = History();
        history.InsertRange(3,
        [
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup_invoice", new Dictionary<string, object?> { ["id"] = "INV-1001" })]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "INV-1001: two charges CH-5001 and CH-5002 of 49.00 USD (duplicate charge).")]),
        ]);

        var reduced = (await new RelevanceReducer(170).ReduceAsync(history, default)).ToList();

        var calls = reduced.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).Select(c => c.CallId);
        var results = reduced.SelectMany(m => m.Contents.OfType<FunctionResultContent>()).Select(r => r.CallId);
        Assert.Equal(calls, results);
        Assert.Contains("c1", calls);
    }

    [Fact]
    public async Task A_history_within_the_budget_is_left_alone()
    {
        var history = History();

        var reduced = await new RelevanceReducer(10_000).ReduceAsync(history, default);

        Assert.Equal(history, reduced);
    }
}
