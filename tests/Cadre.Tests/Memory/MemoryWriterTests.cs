using Cadre.Memory;
using Cadre.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Memory;

/// <summary>The memory writer extracts durable facts from a turn with a model and reconciles them with what is stored.</summary>
public sealed class MemoryWriterTests
{
    private static readonly MemoryScope Acme = new("acme");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly LongTermMemory _memory;

    public MemoryWriterTests()
    {
        _memory = new LongTermMemory(new InMemoryMemoryStore(), time: _time);
    }

    private static IReadOnlyList<ChatMessage> Turn(string user, string assistant = "Noted.") =>
        [new(ChatRole.System, "You are helpful."), new(ChatRole.User, user), new(ChatRole.Assistant, assistant)];

    [Fact]
    public async Task New_facts_without_close_memories_are_added_without_asking_the_model_to_decide()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("""
            {"memories":[{"text":"Ana Lima prefers phone calls over email.","kind":"preference","importance":0.8},
                         {"text":"Ana Lima's company is Lima Design.","kind":"fact","importance":0.4}]}
            """)]);
        var writer = new MemoryWriter(model, _memory);

        var report = await writer.WriteAsync(Turn("I'm Ana Lima from Lima Design. Please call me, I don't read email."), Acme, new MemorySource("writer", "r1", "billing"));

        Assert.Equal([MemoryChangeKind.Added, MemoryChangeKind.Added], report.Changes.Select(c => c.Kind));
        Assert.Empty(report.Problems);
        Assert.Single(model.Requests);
        var stored = await _memory.ListAsync(Acme);
        var phone = stored.Single(m => m.Text.Contains("phone", StringComparison.Ordinal));
        Assert.Equal("preference", phone.Metadata["kind"]);
        Assert.Equal(0.8, phone.Importance, 6);
        Assert.Equal(new MemorySource("writer", "r1", "billing"), phone.Source);
        // The model read the conversation, not the system prompt.
        var sent = model.Requests[0];
        Assert.Contains("I'm Ana Lima", sent[^1].Text);
        Assert.DoesNotContain(sent, m => m.Text.Contains("You are helpful.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_preference_updates_the_memory_it_replaces_instead_of_contradicting_it()
    {
        var old = await _memory.StoreAsync("The client prefers Python for scripts.", null, Acme);
        var model = new ScriptedChatClient(
        [
            ScriptedReply.Say("""{"memories":[{"text":"The client now prefers Go for scripts.","kind":"preference","importance":0.7}]}"""),
            ScriptedReply.Say("""{"decisions":[{"fact":1,"action":"update","memory":1,"text":"The client prefers Go for scripts (previously Python)."}]}"""),
        ]);
        var writer = new MemoryWriter(model, _memory);
        _time.Advance(TimeSpan.FromDays(1));

        var report = await writer.WriteAsync(Turn("We moved our scripts from Python to Go."), Acme);

        var change = Assert.Single(report.Changes);
        Assert.Equal(MemoryChangeKind.Updated, change.Kind);
        Assert.Equal(old.Record!.Id, change.After!.Id);
        var all = await _memory.ListAsync(Acme);
        Assert.Equal("The client prefers Go for scripts (previously Python).", Assert.Single(all).Text);
        // The decision prompt numbers memories instead of naming their ids.
        var decide = model.Requests[1][^1].Text;
        Assert.Contains("1. The client now prefers Go for scripts.", decide);
        Assert.Contains("[1] The client prefers Python for scripts.", decide);
        Assert.DoesNotContain(old.Record.Id, decide);
    }

    [Fact]
    public async Task A_fact_that_shows_a_memory_no_longer_holds_deletes_it()
    {
        await _memory.StoreAsync("Wei Chen wants the weekly newsletter.", null, Acme);
        var model = new ScriptedChatClient(
        [
            ScriptedReply.Say("""{"memories":[{"text":"Wei Chen unsubscribed from the weekly newsletter.","kind":"preference"}]}"""),
            ScriptedReply.Say("""{"decisions":[{"fact":1,"action":"delete","memory":1}]}"""),
        ]);

        var report = await new MemoryWriter(model, _memory).WriteAsync(Turn("Wei: please stop sending me the newsletter."), Acme);

        Assert.Equal(MemoryChangeKind.Deleted, Assert.Single(report.Changes).Kind);
        Assert.Empty(await _memory.ListAsync(Acme));
    }

    [Fact]
    public async Task A_known_fact_changes_nothing()
    {
        await _memory.StoreAsync("Ana Lima prefers phone calls.", null, Acme);
        var model = new ScriptedChatClient(
        [
            ScriptedReply.Say("""{"memories":[{"text":"Ana Lima likes to be phoned.","kind":"preference"}]}"""),
            ScriptedReply.Say("""{"decisions":[{"fact":1,"action":"none"}]}"""),
        ]);

        var report = await new MemoryWriter(model, _memory).WriteAsync(Turn("Call me, as usual."), Acme);

        Assert.Equal(MemoryChangeKind.Unchanged, Assert.Single(report.Changes).Kind);
        Assert.Single(await _memory.ListAsync(Acme));
    }

    [Fact]
    public async Task An_exact_duplicate_fact_is_never_stored_twice_even_when_the_model_says_add()
    {
        await _memory.StoreAsync("Ana Lima prefers phone calls.", null, Acme);
        var model = new ScriptedChatClient(
        [
            ScriptedReply.Say("""{"memories":[{"text":"ana lima prefers phone calls.","kind":"preference"}]}"""),
            ScriptedReply.Say("""{"decisions":[{"fact":1,"action":"add"}]}"""),
        ]);

        var report = await new MemoryWriter(model, _memory).WriteAsync(Turn("Call me."), Acme);

        Assert.Equal(MemoryChangeKind.Unchanged, Assert.Single(report.Changes).Kind);
        Assert.Single(await _memory.ListAsync(Acme));
    }

    [Fact]
    public async Task Nothing_worth_remembering_writes_nothing_and_asks_once()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("""{"memories":[]}""")]);

        var report = await new MemoryWriter(model, _memory).WriteAsync(Turn("Thanks, bye!"), Acme);

        Assert.Empty(report.Changes);
        Assert.Single(model.Requests);
        Assert.Empty(await _memory.ListAsync(Acme));
    }

    [Fact]
    public async Task An_unreadable_extraction_reply_is_reported_and_changes_nothing()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("I think the customer likes phones.")]);

        var report = await new MemoryWriter(model, _memory).WriteAsync(Turn("Call me."), Acme);

        Assert.Empty(report.Changes);
        Assert.Contains("not the JSON asked for", Assert.Single(report.Problems));
        Assert.Empty(await _memory.ListAsync(Acme));
    }

    [Fact]
    public async Task A_decision_naming_a_memory_that_was_not_offered_adds_the_fact_instead_and_says_so()
    {
        await _memory.StoreAsync("The client prefers Python.", null, Acme);
        var model = new ScriptedChatClient(
        [
            ScriptedReply.Say("""{"memories":[{"text":"The client prefers Go.","kind":"preference"}]}"""),
            ScriptedReply.Say("""{"decisions":[{"fact":1,"action":"update","memory":7,"text":"x"}]}"""),
        ]);

        var report = await new MemoryWriter(model, _memory).WriteAsync(Turn("Go now."), Acme);

        Assert.Equal(MemoryChangeKind.Added, Assert.Single(report.Changes).Kind);
        Assert.Contains("memory 7", Assert.Single(report.Problems));
        Assert.Equal(2, (await _memory.ListAsync(Acme)).Count);
        Assert.Contains(await _memory.ListAsync(Acme), m => m.Text == "x");
    }

    [Fact]
    public async Task An_unreadable_decision_reply_adds_every_fact_and_says_so()
    {
        await _memory.StoreAsync("The client prefers Python.", null, Acme);
        var model = new ScriptedChatClient(
        [
            ScriptedReply.Say("""{"memories":[{"text":"The client prefers Go.","kind":"preference"}]}"""),
            ScriptedReply.Say("update it"),
        ]);

        var report = await new MemoryWriter(model, _memory).WriteAsync(Turn("Go now."), Acme);

        Assert.Equal(MemoryChangeKind.Added, Assert.Single(report.Changes).Kind);
        Assert.Contains("every fact was added", Assert.Single(report.Problems));
    }
}
