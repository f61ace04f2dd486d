using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Observability;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Memory;

/// <summary>Agents recall long-term memories into their context, within a budget and with provenance.</summary>
public sealed class AgentMemoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly WorkspaceMemory _memory;

    public AgentMemoryTests()
    {
        _memory = WorkspaceMemory.InMemory(_time);
    }

    [Fact]
    public async Task An_agent_with_memory_gets_the_relevant_memories_with_their_provenance_after_its_instructions()
    {
        var acme = _memory.For("acme");
        await _memory.LongTerm.StoreAsync("Ana Lima (C-1002) prefers phone calls over email.", null, acme.Scope, source: new MemorySource("writer", "r1", "billing"));
        await _memory.LongTerm.StoreAsync("The office closes at six on Fridays.", null, acme.Scope);
        var model = new ScriptedChatClient([ScriptedReply.Say("I will call Ana.")]);
        var agent = new Agent("billing", model, "Resolve billing problems.").WithMemory(acme);

        await agent.RunAsync("Ana Lima asks about a refund; how should we contact her?");

        var request = Assert.Single(model.Requests);
        Assert.Equal("Resolve billing problems.", request[0].Text);
        var recalled = request[1];
        Assert.Equal(ChatRole.System, recalled.Role);
        Assert.StartsWith(MemoryContextProvider.Header, recalled.Text);
        Assert.Contains("Ana Lima (C-1002) prefers phone calls over email. [m-", recalled.Text);
        Assert.Contains("2026-11-01, writer, run r1, agent billing]", recalled.Text);
        Assert.DoesNotContain("office", recalled.Text);
        Assert.Equal(ChatRole.User, request[2].Role);
    }

    [Fact]
    public async Task An_agent_reused_for_a_second_run_recalls_what_was_written_after_its_first()
    {
        var acme = _memory.For("acme");
        await acme.RememberAsync("Ana Lima prefers email.");
        var model = new ScriptedChatClient([ScriptedReply.Say("I will email Ana."), ScriptedReply.Say("I will call Ana.")]);
        var agent = new Agent("billing", model, "Resolve billing problems.").WithMemory(acme);

        await agent.RunAsync("How should we contact Ana Lima?");
        await acme.RememberAsync("Ana Lima now wants phone calls only.");
        await agent.RunAsync("How should we contact Ana Lima?");

        Assert.Equal(2, model.Requests.Count);
        Assert.DoesNotContain("phone calls only", model.Requests[0][1].Text);
        Assert.Contains("phone calls only", model.Requests[1][1].Text);
    }

    [Fact]
    public async Task An_agent_reused_for_a_second_run_gets_the_lessons_recorded_after_its_first()
    {
        var acme = _memory.For("acme");
        var model = new ScriptedChatClient([ScriptedReply.Say("done"), ScriptedReply.Say("done again")]);
        var agent = new Agent("billing", model, "Resolve billing problems.").WithLessons(acme);

        await agent.RunAsync("Refund invoice INV-1001");
        await _memory.Episodes.RecordAsync(new Episode
        {
            Id = "e-1",
            Scope = acme.Scope,
            Task = "Refund invoice INV-1001",
            Outcome = EpisodeOutcome.Success,
            Lessons = ["Look up the invoice before opening a refund."],
        });
        await agent.RunAsync("Refund invoice INV-1001");

        Assert.DoesNotContain(model.Requests[0], m => m.Text.Contains("Look up the invoice", StringComparison.Ordinal));
        Assert.Contains(model.Requests[1], m => m.Text.Contains("Look up the invoice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recalled_memories_stay_within_their_share_of_the_context_window()
    {
        var acme = _memory.For("acme");
        for (var i = 0; i < 20; i++)
        {
            await acme.RememberAsync($"Refund note {i}: the customer asked for a refund of invoice INV-{1000 + i} and wants a phone call about it.");
        }

        var model = new ScriptedChatClient([ScriptedReply.Say("ok")]);
        var agent = new Agent("billing", model, "Resolve billing problems.")
            .WithContextWindow(new ContextWindow(1000))
            .WithMemory(acme, new MemoryContextOptions { K = 20, Share = 0.1 });

        await agent.RunAsync("refund invoice phone call");

        var recalled = Assert.Single(model.Requests)[1];
        Assert.InRange(TokenCounter.Default.CountTokens(recalled), 30, 100);
        Assert.InRange(recalled.Text.Split('\n').Length - 1, 1, 19);
    }

    [Fact]
    public async Task Nothing_is_added_when_no_memory_is_related_to_the_task()
    {
        var acme = _memory.For("acme");
        await acme.RememberAsync("The office closes at six on Fridays.");
        var model = new ScriptedChatClient([ScriptedReply.Say("ok")]);

        await new Agent("billing", model, "Resolve billing problems.").WithMemory(acme).RunAsync("Refund INV-1001 twice charged");

        Assert.Equal([ChatRole.System, ChatRole.User], Assert.Single(model.Requests).Select(m => m.Role));
    }

    [Fact]
    public async Task An_agent_recalls_only_from_its_own_line_of_scopes()
    {
        await _memory.LongTerm.StoreAsync("Refund policy for the support team: refunds within 5 days.", null, new MemoryScope("acme", "support"));
        await _memory.LongTerm.StoreAsync("Refund note kept privately by the sales agent.", null, new MemoryScope("acme", "sales", "seller"));
        await _memory.LongTerm.StoreAsync("Refund note of another tenant.", null, new MemoryScope("globex"));
        var model = new ScriptedChatClient([ScriptedReply.Say("ok")]);

        await new Agent("billing", model, "Resolve billing problems.").WithMemory(_memory.For("acme", "support", "billing")).RunAsync("refund note policy");

        var recalled = Assert.Single(model.Requests)[1].Text;
        Assert.Contains("support team", recalled);
        Assert.DoesNotContain("sales agent", recalled);
        Assert.DoesNotContain("another tenant", recalled);
    }

    [Fact]
    public async Task The_recall_of_a_turn_is_made_once_for_all_its_model_calls_and_the_observer_hears_of_it()
    {
        var store = new CountingStore(new InMemoryMemoryStore());
        var memory = new WorkspaceMemory(MemoryStores.InMemory() with { LongTerm = store }, time: _time);
        await memory.LongTerm.StoreAsync("Ana Lima prefers phone calls.", null, MemoryScope.Default);
        var lookup = AIFunctionFactory.Create((string id) => $"invoice {id}: paid", "lookup_invoice");
        var model = new ScriptedChatClient([ScriptedReply.Call("lookup_invoice", new { id = "INV-1" }), ScriptedReply.Say("done")]);
        var agent = new Agent("billing", model, "Resolve billing problems.").WithTools(lookup).WithMemory(memory.For(MemoryScope.Default));
        var notices = new List<string>();
        var workspace = new InMemoryWorkspace();

        var run = await Workflow.Sequential(agent).RunAsync("Ana Lima: is INV-1 paid? call me", workspace,
            new RunOptions { Observer = RunObserver.From(e => { if (e is RunNotice n) { notices.Add(n.Text); } }), Time = _time });

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(1, store.Searches);
        Assert.All(model.Requests, r => Assert.Contains("Ana Lima prefers phone calls.", r[1].Text));
        Assert.Contains(notices, n => n.StartsWith("billing recalled 1 memory: Ana Lima prefers phone calls.", StringComparison.Ordinal));
    }

    private sealed class CountingStore(IMemoryStore inner) : IMemoryStore
    {
        public int Searches { get; private set; }

        public Task<MemoryWriteResult> AddAsync(MemoryRecord record, CancellationToken cancellationToken = default) => inner.AddAsync(record, cancellationToken);

        public Task<IReadOnlyList<MemoryWriteResult>> AddRangeAsync(IReadOnlyList<MemoryRecord> records, CancellationToken cancellationToken = default) => inner.AddRangeAsync(records, cancellationToken);

        public Task<MemoryRecord?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default) => inner.GetAsync(id, scope, cancellationToken);

        public Task<MemoryWriteResult> UpdateAsync(MemoryRecord record, CancellationToken cancellationToken = default) => inner.UpdateAsync(record, cancellationToken);

        public Task<bool> DeleteAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default) => inner.DeleteAsync(id, scope, cancellationToken);

        public Task<IReadOnlyList<MemoryRecord>> ListAsync(MemoryScope scope, MemoryFilter? filter = null, int limit = 100, int offset = 0, CancellationToken cancellationToken = default) =>
            inner.ListAsync(scope, filter, limit, offset, cancellationToken);

        public Task<MemoryCandidates> SearchAsync(MemorySearch search, CancellationToken cancellationToken = default)
        {
            Searches++;
            return inner.SearchAsync(search, cancellationToken);
        }
    }
}
