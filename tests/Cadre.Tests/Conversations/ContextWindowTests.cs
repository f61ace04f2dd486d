using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Conversations;

public sealed class ContextWindowTests
{
    private static readonly string[] Words = ["invoice", "refund", "charge", "customer", "ticket", "the", "was", "twice", "card", "email", "Ω", "数据", "🙂", "INV-1001", "{\"id\":42}"];

    [Fact]
    public async Task Never_exceeds_its_budget_and_never_drops_the_system_prompt_the_latest_user_turn_or_a_call_result_pair()
    {
        var counter = TokenCounter.Default;
        for (var seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var history = RandomHistory(random);
            var budget = random.Next(40, 1_500);
            var window = new ContextWindow(budget, counter);

            IReadOnlyList<ChatMessage> fitted;
            try
            {
                fitted = await window.FitAsync(history);
            }
            catch (ContextBudgetExceededException ex)
            {
                // Only allowed when the messages that may not be dropped do not fit on their own.
                var pinned = history.Where(m => m.Role == ChatRole.System).Sum(counter.CountTokens)
                           + counter.CountTokens(history.Last(m => m.Role == ChatRole.User));
                Assert.True(ex.Required > budget, $"seed {seed}: threw although pinned messages need {ex.Required} of {budget}");
                Assert.True(pinned <= ex.Required, $"seed {seed}");
                continue;
            }

            var tokens = fitted.Sum(counter.CountTokens);
            Assert.True(tokens <= budget, $"seed {seed}: {tokens} tokens > budget {budget}");
            Assert.All(history.Where(m => m.Role == ChatRole.System), s => Assert.Contains(s, fitted));
            Assert.Contains(history.Last(m => m.Role == ChatRole.User), fitted);
            AssertPairsIntact(fitted, seed);
            AssertOrderKept(history, fitted, seed);
        }
    }

    [Fact]
    public async Task At_one_token_under_its_exact_cost_a_history_is_reduced_whatever_its_text_and_arguments()
    {
        // The window skips counting when a tokenizer-free bound fits; the bound must never let a history through
        // that the exact count would reduce: wide characters, escaped JSON, numbers, nested arguments.
        var counter = TokenCounter.Default;
        var arguments = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(
            """{"q":"数据 \"quoted\" 🙂","n":12345.678,"ok":true,"nested":{"a":[1,2]}}""");
        var history = new List<ChatMessage>
        {
            new(ChatRole.System, "Ω be brief"),
            new(ChatRole.User, "数据数据数据 🙂🙂 invoice INV-1001"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", arguments)]) { AuthorName = "billing" },
            new(ChatRole.Tool, [new FunctionResultContent("c1", "{\"id\":42, \"name\":\"Ω\"}")]) { AuthorName = "billing" },
            new(ChatRole.Assistant, [new FunctionCallContent("c2", "lookup", new Dictionary<string, object?> { ["id"] = "INV-1", ["count"] = 3 })]),
            new(ChatRole.Tool, [new FunctionResultContent("c2", "paid")]),
            new(ChatRole.User, "and now?"),
        };
        var exact = history.Sum(counter.CountTokens);

        Assert.Equal(history, await new ContextWindow(exact, counter).FitAsync(history));
        var reduced = await new ContextWindow(exact - 1, counter).FitAsync(history);
        Assert.True(reduced.Sum(counter.CountTokens) <= exact - 1);
        Assert.True(reduced.Count < history.Count);
    }

    [Fact]
    public async Task A_history_within_budget_is_sent_as_it_is()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "be brief"), new(ChatRole.User, "hello"), new(ChatRole.Assistant, "hi") };
        var fitted = await new ContextWindow(1_000).FitAsync(history);
        Assert.Equal(history, fitted);
    }

    [Fact]
    public async Task The_sliding_window_drops_the_oldest_turns_first()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "sys") };
        for (var i = 0; i < 20; i++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"question {i} " + string.Join(' ', Enumerable.Repeat("word", 20))));
            history.Add(new ChatMessage(ChatRole.Assistant, $"answer {i} " + string.Join(' ', Enumerable.Repeat("word", 20))));
        }

        var window = new ContextWindow(200);
        var fitted = await window.FitAsync(history);

        Assert.Equal("sys", fitted[0].Text);
        Assert.StartsWith("question 19", fitted[^2].Text, StringComparison.Ordinal);
        Assert.StartsWith("answer 19", fitted[^1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(fitted, m => m.Text.StartsWith("question 0 ", StringComparison.Ordinal));
        Assert.True(window.CountTokens(fitted) <= 200);
        // Contiguous: every kept turn after the system prompt is newer than every dropped one.
        var kept = fitted.Skip(1).Select(m => history.IndexOf(m)).ToList();
        Assert.Equal(Enumerable.Range(kept[0], kept.Count), kept);
    }

    [Fact]
    public async Task Pinned_messages_that_do_not_fit_are_a_clear_error()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, string.Join(' ', Enumerable.Repeat("instruction", 300))), new(ChatRole.User, "hi") };
        var error = await Assert.ThrowsAsync<ContextBudgetExceededException>(() => new ContextWindow(100).FitAsync(history));
        Assert.Contains("more than the context budget of 100", error.Message, StringComparison.Ordinal);
        Assert.True(error.Required > 100);
    }

    [Fact]
    public async Task The_reducer_plugs_into_Microsoft_Extensions_AI_UseChatReducer()
    {
        var inner = new Cadre.Testing.ScriptedChatClient([Cadre.Testing.ScriptedReply.Say("ok")]);
        using var client = inner.AsBuilder().UseChatReducer(new SlidingWindowReducer(120)).Build();
        var history = new List<ChatMessage> { new(ChatRole.System, "sys") };
        for (var i = 0; i < 30; i++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"message {i} with some words in it"));
        }

        await client.GetResponseAsync(history);

        var sent = Assert.Single(inner.Requests);
        Assert.True(sent.Count < history.Count);
        Assert.True(sent.Sum(TokenCounter.Default.CountTokens) <= 120);
        Assert.Equal("message 29 with some words in it", sent[^1].Text);
    }

    [Fact]
    public void Token_counts_are_real_tiktoken_counts()
    {
        var o200k = TokenCounter.ForEncoding("o200k_base");
        var cl100k = TokenCounter.ForEncoding("cl100k_base");
        Assert.Equal(2, o200k.CountTokens("hello world"));
        Assert.Equal(2, cl100k.CountTokens("hello world"));
        Assert.Equal(0, o200k.CountTokens(""));
        Assert.Equal(TokenCounter.MessageOverhead + 2, o200k.CountTokens(new ChatMessage(ChatRole.User, "hello world")));
        const string text = "Refund the duplicate charge on INV-1001, please.";
        Assert.Equal(o200k.CountTokens(text), TokenCounter.ForModel("gpt-4o").CountTokens(text));
        Assert.Equal(cl100k.CountTokens(text), TokenCounter.ForModel("gpt-4").CountTokens(text));
        Assert.Same(TokenCounter.Default, TokenCounter.ForModel("llama3.1"));
    }

    private static List<ChatMessage> RandomHistory(Random random)
    {
        var history = new List<ChatMessage>();
        if (random.Next(4) > 0)
        {
            history.Add(new ChatMessage(ChatRole.System, Text(random, 1, 60)));
        }

        var turns = random.Next(1, 30);
        var call = 0;
        for (var t = 0; t < turns; t++)
        {
            history.Add(new ChatMessage(ChatRole.User, Text(random, 1, 80)));
            var rounds = random.Next(0, 3);
            for (var r = 0; r < rounds; r++)
            {
                var calls = Enumerable.Range(0, random.Next(1, 3)).Select(_ => $"c{call++}").ToList();
                history.Add(new ChatMessage(ChatRole.Assistant, calls.Select(id => (AIContent)new FunctionCallContent(id, "lookup", new Dictionary<string, object?> { ["q"] = Text(random, 1, 5) })).ToList()));
                history.Add(new ChatMessage(ChatRole.Tool, calls.Select(id => (AIContent)new FunctionResultContent(id, Text(random, 1, 120))).ToList()));
            }

            if (random.Next(3) > 0)
            {
                history.Add(new ChatMessage(ChatRole.Assistant, Text(random, 1, 80)));
            }
        }

        return history;
    }

    private static string Text(Random random, int min, int max) =>
        string.Join(' ', Enumerable.Range(0, random.Next(min, max)).Select(_ => Words[random.Next(Words.Length)]));

    private static void AssertPairsIntact(IReadOnlyList<ChatMessage> fitted, int seed)
    {
        var calls = fitted.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).Select(c => c.CallId).ToHashSet();
        var results = fitted.SelectMany(m => m.Contents.OfType<FunctionResultContent>()).Select(r => r.CallId).ToHashSet();
        Assert.True(calls.SetEquals(results), $"seed {seed}: a tool call was separated from its result");
    }

    private static void AssertOrderKept(List<ChatMessage> history, IReadOnlyList<ChatMessage> fitted, int seed)
    {
        var positions = fitted.Select(m => history.IndexOf(m)).ToList();
        Assert.True(positions.SequenceEqual(positions.Order()), $"seed {seed}: order changed");
    }
}
