using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Observability;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Sqlite.Memory;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Conversations;

/// <summary>Older turns fold into a running summary that is kept with the conversation and reused.</summary>
public sealed class SummarizingReducerTests
{
    private static readonly string[] Topics =
    [
        "my invoice INV-1001 shows 49 dollars twice on the first of November",
        "the card ending 4242 is the one that was charged",
        "I would like the refund to go back to the same card please",
        "also my plan is Pro monthly and I have been a customer since 2024",
        "my colleague Wei uses the same account from Lisbon",
        "we also had a login problem last week but it is fixed now",
        "please call me rather than email because I rarely read email",
        "my phone number is 555 0100 and mornings are best",
    ];

    internal static List<ChatMessage> History(int turns, string question = "So when will the refund for INV-1001 arrive?")
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "You are Acme's billing specialist.") };
        for (var i = 0; i < turns; i++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"Turn {i}: {Topics[i % Topics.Length]}."));
            history.Add(new ChatMessage(ChatRole.Assistant, $"Noted in turn {i}: {Topics[i % Topics.Length]}. Anything else I should know?"));
        }

        history.Add(new ChatMessage(ChatRole.User, question));
        return history;
    }

    private static ScriptedChatClient Summaries(params string[] texts) => new(texts.Select(ScriptedReply.Say));

    [Fact]
    public async Task A_history_within_the_budget_is_left_alone_and_no_summary_is_written()
    {
        var model = Summaries();
        var reducer = new SummarizingReducer(model, 10_000, options: new SummarizingReducerOptions { Store = new InMemorySummaryStore() });

        var reduced = (await reducer.ReduceAsync(History(3), default)).ToList();

        Assert.Equal(History(3).Count, reduced.Count);
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task Older_turns_are_folded_into_one_summary_after_the_instructions_and_the_newest_turns_kept_within_budget()
    {
        var model = Summaries("Customer was charged twice on INV-1001 (card 4242) and wants a refund to that card; prefers phone calls.");
        var reducer = new SummarizingReducer(model, 400, options: new SummarizingReducerOptions { Store = new InMemorySummaryStore() });
        var history = History(8);

        var reduced = (await reducer.ReduceAsync(history, default)).ToList();

        Assert.InRange(reduced.Sum(TokenCounter.Default.CountTokens), 1, 400);
        Assert.Equal("You are Acme's billing specialist.", reduced[0].Text);
        Assert.Equal(ChatRole.System, reduced[1].Role);
        Assert.StartsWith("Summary of the earlier conversation", reduced[1].Text);
        Assert.Contains("prefers phone calls", reduced[1].Text);
        Assert.Equal(history[^1], reduced[^1]);
        Assert.Equal(history[^2], reduced[^2]);
        Assert.DoesNotContain(history[1], reduced);
        var request = Assert.Single(model.Requests);
        Assert.Contains("Summary so far:\n(none)", request[^1].Text);
        Assert.Contains("user: Turn 0: my invoice INV-1001", request[^1].Text);
        Assert.DoesNotContain("So when will the refund", request[^1].Text);
    }

    [Fact]
    public async Task The_summary_is_reused_on_the_next_call_and_only_newly_dropped_turns_are_folded_in_later()
    {
        var model = Summaries("First summary.", "Second summary.");
        var reducer = new SummarizingReducer(model, 400, options: new SummarizingReducerOptions { Store = new InMemorySummaryStore() });
        var history = History(8);

        var first = (await reducer.ReduceAsync(history, default)).ToList();
        var again = (await reducer.ReduceAsync(history, default)).ToList();
        Assert.Single(model.Requests);
        Assert.Equal(first.Select(m => m.Text), again.Select(m => m.Text));

        var longer = History(11);
        var later = (await reducer.ReduceAsync(longer, default)).ToList();

        Assert.Equal(2, model.Requests.Count);
        var fold = model.Requests[1][^1].Text;
        Assert.Contains("Summary so far:\nFirst summary.", fold);
        Assert.DoesNotContain("Turn 0:", fold);
        Assert.Contains("Second summary.", later[1].Text);
        Assert.InRange(later.Sum(TokenCounter.Default.CountTokens), 1, 400);
    }

    [Fact]
    public async Task A_summary_kept_in_the_workspace_file_is_reused_by_another_reducer_in_another_process()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("cadre.db");
        var history = History(8);
        var first = Summaries("Kept summary.");
        await new SummarizingReducer(first, 400, options: new SummarizingReducerOptions { Store = await SqliteSummaryStore.OpenAsync(await SqliteDatabase.OpenAsync(file)), ConversationId = _ => "thread-1" })
            .ReduceAsync(history, default);

        var second = Summaries();
        var reduced = (await new SummarizingReducer(second, 400, options: new SummarizingReducerOptions { Store = await SqliteSummaryStore.OpenAsync(await SqliteDatabase.OpenAsync(file)), ConversationId = _ => "thread-1" })
            .ReduceAsync(history, default)).ToList();

        Assert.Empty(second.Requests);
        Assert.Contains("Kept summary.", reduced[1].Text);
    }

    [Fact]
    public async Task A_stored_summary_of_other_messages_under_the_same_id_is_not_applied()
    {
        var store = new InMemorySummaryStore();
        var model = Summaries("About invoices.", "About something else.");
        var options = new SummarizingReducerOptions { Store = store, ConversationId = _ => "same" };
        await new SummarizingReducer(model, 400, options: options).ReduceAsync(History(8), default);
        var other = History(8).Select(m => m.Role == ChatRole.User ? new ChatMessage(ChatRole.User, m.Text.Replace("Turn", "Step", StringComparison.Ordinal)) : m).ToList();

        var reduced = (await new SummarizingReducer(model, 400, options: options).ReduceAsync(other, default)).ToList();

        Assert.Equal(2, model.Requests.Count);
        Assert.Contains("About something else.", reduced[1].Text);
    }

    [Fact]
    public async Task A_tool_call_is_folded_or_kept_together_with_its_result()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "You are billing.") };
        for (var i = 0; i < 6; i++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"Please check invoice INV-{1000 + i} for the customer who wrote in today, it looks wrong."));
            history.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"c{i}", "lookup_invoice", new Dictionary<string, object?> { ["id"] = $"INV-{1000 + i}" })]));
            history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"c{i}", $"INV-{1000 + i}: 49.00 USD, paid on 2026-11-01, charged once to card 4242.")]));
            history.Add(new ChatMessage(ChatRole.Assistant, $"Invoice INV-{1000 + i} is fine: one charge of 49.00 USD."));
        }

        history.Add(new ChatMessage(ChatRole.User, "Thanks. Anything else?"));
        var model = Summaries("Checked invoices INV-1000 to INV-1003; all fine.");

        var reduced = (await new SummarizingReducer(model, 350, options: new SummarizingReducerOptions { Store = new InMemorySummaryStore() }).ReduceAsync(history, default)).ToList();

        var calls = reduced.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).Select(c => c.CallId).ToList();
        var results = reduced.SelectMany(m => m.Contents.OfType<FunctionResultContent>()).Select(r => r.CallId).ToList();
        Assert.NotEmpty(calls);
        Assert.Equal(calls, results);
        var folded = model.Requests[0][^1].Text;
        Assert.Contains("called lookup_invoice {\"id\":\"INV-1000\"}", folded);
        Assert.Contains("tool result: INV-1000: 49.00 USD", folded);
    }

    [Fact]
    public async Task When_the_summariser_fails_the_older_turns_are_dropped_and_the_run_is_told()
    {
        var notices = new List<string>();
        var summarizer = new ScriptedChatClient([ScriptedReply.Fail("overloaded", 503)]);
        var model = new ScriptedChatClient([ScriptedReply.Say("The refund arrives in 5 days.")]);
        var agent = new Agent("billing", model, "You are Acme's billing specialist.")
            .WithContextWindow(new ContextWindow(400, reducer: new SummarizingReducer(summarizer, 400)));
        var history = History(8);

        var response = await agent.RunAsync(history.Skip(1).ToList(), new AgentTurnOptions
        {
            Context = new AgentContext { Agent = "billing", RunId = "r1", Observer = RunObserver.From(e => { if (e is RunNotice n) { notices.Add(n.Text); } }) },
        });

        Assert.Equal("The refund arrives in 5 days.", response.Text);
        Assert.InRange(Assert.Single(model.Requests).Sum(TokenCounter.Default.CountTokens), 1, 400);
        Assert.Contains(notices, n => n.Contains("could not be written (overloaded); they were dropped instead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_a_run_the_summary_is_kept_in_the_runs_workspace_under_the_run_and_agent_and_made_once_per_turn()
    {
        var workspace = new InMemoryWorkspace();
        var lookup = AIFunctionFactory.Create((string id) => $"{id}: 49.00 USD charged on 2026-11-01 to card 4242, status paid, no refund yet, customer C-1001.", "lookup_invoice");
        var researcher = new ScriptedChatClient(
            Enumerable.Range(0, 6).Select(i => ScriptedReply.Call("lookup_invoice", new { id = $"INV-{1000 + i}" }))
                .Append(ScriptedReply.Say("All six invoices were charged once except INV-1001, which was charged twice.")));
        var summarizer = Summaries("The researcher looked up INV-1000 to INV-1004: each charged once, 49.00 USD, card 4242.");
        var billingModel = new ScriptedChatClient([ScriptedReply.Call("lookup_invoice", new { id = "INV-1001" }), ScriptedReply.Say("Refund opened for INV-1001.")]);
        var billing = new Agent("billing", billingModel, "You are Acme's billing specialist.").WithTools(lookup)
            .WithContextWindow(new ContextWindow(300, reducer: new SummarizingReducer(summarizer, 300)));

        var run = await Workflow.Sequential(new Agent("researcher", researcher, "Research.").WithTools(lookup), billing)
            .RunAsync("Check the November invoices of C-1001.", workspace);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(2, billingModel.Requests.Count);
        Assert.Single(summarizer.Requests);
        var stored = await workspace.Memory.Summaries.GetAsync($"{run.Id}/billing");
        Assert.NotNull(stored);
        Assert.True(stored.CoveredGroups > 0);
        Assert.All(billingModel.Requests, r => Assert.Contains("The researcher looked up INV-1000", r[1].Text));
        Assert.All(billingModel.Requests, r => Assert.InRange(r.Sum(TokenCounter.Default.CountTokens), 1, 300));
    }
}
