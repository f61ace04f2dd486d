using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Memory;

/// <summary>A model reads texts into the knowledge graph.</summary>
public sealed class KnowledgeExtractorTests
{
    private static readonly MemoryScope Acme = new("acme");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly KnowledgeGraph _graph;

    public KnowledgeExtractorTests()
    {
        _graph = new KnowledgeGraph(new InMemoryKnowledgeStore(), _time);
    }

    [Fact]
    public async Task Entities_concepts_and_facts_from_the_text_are_recorded_with_their_source_and_dates()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("""
            {"entities":[{"name":"Ana Lima","type":"person","description":""},
                         {"name":"Pro plan","type":"concept","description":"The monthly paid plan."}],
             "facts":[{"subject":"Ana Lima","relation":"subscribes to","object":"Pro plan","objectIsValue":false,"replacesPrevious":true,"validFrom":"2026-03-01"},
                      {"subject":"Ana Lima","relation":"prefers_contact","object":"phone","objectIsValue":true,"replacesPrevious":true,"validFrom":""}]}
            """)]);

        var result = await new KnowledgeExtractor(model, _graph).ExtractAsync("Ana Lima moved to the Pro plan in March and prefers phone calls.", Acme, new MemorySource("cli"));

        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Entities.Count);
        Assert.Equal("The monthly paid plan.", (await _graph.GetEntityAsync("pro plan", Acme))!.Description);
        var facts = await _graph.FactsAboutAsync("Ana Lima", Acme);
        Assert.Equal(["subscribes_to", "prefers_contact"], facts.Select(f => f.Relation));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), facts[0].ValidFrom);
        Assert.Equal(_time.GetUtcNow(), facts[1].ValidFrom);
        Assert.All(facts, f => Assert.Equal(new MemorySource("cli"), f.Source));
        Assert.Equal("Ana Lima moved to the Pro plan in March and prefers phone calls.", model.Requests[0][^1].Text);
    }

    [Fact]
    public async Task A_fact_marked_as_replacing_supersedes_the_previous_one()
    {
        await _graph.AssertAsync("Ana Lima", "prefers_contact", "email", Acme, new FactOptions { ObjectIsValue = true });
        var model = new ScriptedChatClient([ScriptedReply.Say("""
            {"entities":[],"facts":[{"subject":"Ana Lima","relation":"prefers_contact","object":"phone","objectIsValue":true,"replacesPrevious":true}]}
            """)]);

        var result = await new KnowledgeExtractor(model, _graph).ExtractAsync("Ana now wants phone calls.", Acme);

        Assert.Equal("email", Assert.Single(Assert.Single(result.Facts).Superseded).Object);
        Assert.Equal("phone", Assert.Single(await _graph.FactsAboutAsync("Ana Lima", Acme)).Object);
    }

    [Fact]
    public async Task Unusable_items_are_skipped_and_reported_and_an_unreadable_reply_records_nothing()
    {
        var model = new ScriptedChatClient(
        [
            ScriptedReply.Say("""
                {"entities":[{"name":"","type":"person"}],
                 "facts":[{"subject":"Ana","relation":"!!","object":"x"},{"subject":"Ana","relation":"joined","object":"Acme","validFrom":"last spring"}]}
                """),
            ScriptedReply.Say("Ana is a customer."),
        ]);
        var extractor = new KnowledgeExtractor(model, _graph);

        var partial = await extractor.ExtractAsync("text", Acme);
        var nothing = await extractor.ExtractAsync("text", Acme);

        Assert.Equal(3, partial.Problems.Count);
        Assert.Contains(partial.Problems, p => p.Contains("'last spring'", StringComparison.Ordinal));
        Assert.Equal("Acme", Assert.Single(await _graph.FactsAboutAsync("Ana", Acme)).Object);
        Assert.Empty(nothing.Facts);
        Assert.Contains("not the JSON asked for", Assert.Single(nothing.Problems));
    }
}
