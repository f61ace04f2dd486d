using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IKnowledgeStore"/> must do, checked through <see cref="KnowledgeGraph"/>.</summary>
public abstract class KnowledgeStoreContract : IAsyncLifetime
{
    protected static readonly MemoryScope Acme = new("acme");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected KnowledgeGraph Graph { get; private set; } = null!;

    protected abstract Task<IKnowledgeStore> CreateStoreAsync();

    public async Task InitializeAsync() => Graph = new KnowledgeGraph(await CreateStoreAsync(), Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Entities_and_concepts_are_defined_once_per_name_and_keep_what_they_were_told()
    {
        var first = await Graph.DefineAsync("Ana  Lima", Acme, "person");
        Time.Advance(TimeSpan.FromDays(1));
        await Graph.DefineAsync("ana lima", Acme, description: "Customer C-1002.");
        await Graph.DefineAsync("Duplicate charge", Acme, "concept", "A card charged twice for one invoice.");

        var ana = await Graph.GetEntityAsync("ANA LIMA", Acme);

        Assert.Equal("ana lima", ana!.Key);
        Assert.Equal("person", ana.Type);
        Assert.Equal("Customer C-1002.", ana.Description);
        Assert.Equal(first.CreatedAt, ana.CreatedAt);
        Assert.Equal(Time.GetUtcNow(), ana.UpdatedAt);
        Assert.Equal(["Duplicate charge"], (await Graph.FindEntitiesAsync("twice", Acme)).Select(e => e.Name));
        Assert.Equal(["ana lima"], (await Graph.FindEntitiesAsync("LIMA", Acme)).Select(e => e.Key));
    }

    [Fact]
    public async Task A_fact_records_its_entities_provenance_and_validity_and_is_not_recorded_twice()
    {
        var written = await Graph.AssertAsync("Ana Lima", "Works at", "Lima Design", Acme, new FactOptions { Source = new MemorySource("writer", "r1", "billing"), Confidence = 0.9, ObjectType = "company" });
        var again = await Graph.AssertAsync("ana lima", "works_at", "LIMA DESIGN", Acme);

        Assert.True(written.Added);
        Assert.False(again.Added);
        Assert.Equal(written.Fact.Id, again.Fact.Id);
        var fact = Assert.Single(await Graph.FactsAboutAsync("Ana Lima", Acme));
        Assert.Equal("Ana Lima —works_at→ Lima Design", fact.ToString());
        Assert.Equal(new MemorySource("writer", "r1", "billing"), fact.Source);
        Assert.Equal(0.9, fact.Confidence, 6);
        Assert.Equal(Time.GetUtcNow(), fact.ValidFrom);
        Assert.True(fact.IsCurrent);
        Assert.Equal("company", (await Graph.GetEntityAsync("Lima Design", Acme))!.Type);
    }

    [Fact]
    public async Task A_superseded_fact_is_closed_not_erased_so_the_past_stays_answerable()
    {
        var python = await Graph.AssertAsync("client", "prefers", "Python", Acme, new FactOptions { ObjectIsValue = true, Exclusive = true });
        var before = Time.GetUtcNow().AddDays(10);
        Time.Advance(TimeSpan.FromDays(30));
        var go = await Graph.AssertAsync("client", "prefers", "Go", Acme, new FactOptions { ObjectIsValue = true, Exclusive = true });

        Assert.Equal(python.Fact.Id, Assert.Single(go.Superseded).Id);
        Assert.Equal("Go", Assert.Single(await Graph.FactsAboutAsync("client", Acme, "prefers")).Object);
        Assert.Equal("Python", Assert.Single(await Graph.FactsAboutAsync("client", Acme, "prefers", at: before)).Object);
        var history = await Graph.FactsAboutAsync("client", Acme, includeHistory: true);
        Assert.Equal(["Python", "Go"], history.Select(f => f.Object));
        Assert.Equal(go.Fact.Id, history[0].SupersededBy);
        Assert.Equal(go.Fact.ValidFrom, history[0].ValidTo);
    }

    [Fact]
    public async Task A_relation_that_is_not_exclusive_keeps_every_object_current()
    {
        await Graph.AssertAsync("Ana", "speaks", "Portuguese", Acme, new FactOptions { ObjectIsValue = true });
        await Graph.AssertAsync("Ana", "speaks", "English", Acme, new FactOptions { ObjectIsValue = true });

        Assert.Equal(["Portuguese", "English"], (await Graph.FactsAboutAsync("Ana", Acme, "speaks")).Select(f => f.Object));
    }

    [Fact]
    public async Task A_retracted_fact_stops_being_current_but_was_true_before()
    {
        var fact = await Graph.AssertAsync("Wei", "subscribed_to", "newsletter", Acme);
        var during = Time.GetUtcNow().AddHours(1);
        Time.Advance(TimeSpan.FromDays(2));

        var closed = await Graph.RetractAsync(fact.Fact.Id, Acme);

        Assert.Equal(Time.GetUtcNow(), closed!.ValidTo);
        Assert.Empty(await Graph.FactsAboutAsync("Wei", Acme));
        Assert.Single(await Graph.FactsAboutAsync("Wei", Acme, at: during));
        Assert.Null(await Graph.RetractAsync(fact.Fact.Id, Acme));
    }

    [Fact]
    public async Task Related_entities_are_found_in_both_directions_but_values_are_not_entities()
    {
        await Graph.AssertAsync("John", "works_at", "Acme Corp", Acme);
        await Graph.AssertAsync("Ana", "customer_of", "Acme Corp", Acme);
        await Graph.AssertAsync("Acme Corp", "located_in", "Berlin", Acme);
        await Graph.AssertAsync("Acme Corp", "founded", "1999", Acme, new FactOptions { ObjectIsValue = true });

        var both = await Graph.RelatedAsync("acme corp", Acme);
        var incoming = await Graph.RelatedAsync("Acme Corp", Acme, FactDirection.Incoming);
        var outgoing = await Graph.RelatedAsync("Acme Corp", Acme, FactDirection.Outgoing);

        Assert.Equal(["Ana", "Berlin", "John"], both.Select(r => r.Name).Order());
        Assert.Equal([("John", "works_at"), ("Ana", "customer_of")], incoming.Select(r => (r.Name, r.Relation)));
        Assert.All(incoming, r => Assert.Equal(FactDirection.Incoming, r.Direction));
        Assert.Equal(["Berlin"], outgoing.Select(r => r.Name));
    }

    [Fact]
    public async Task Paths_follow_facts_either_way_up_to_the_hop_limit_and_only_facts_valid_then()
    {
        await Graph.AssertAsync("John", "works_at", "Acme Corp", Acme);
        await Graph.AssertAsync("Ana", "customer_of", "Acme Corp", Acme);
        await Graph.AssertAsync("Ana", "lives_in", "Lisbon", Acme, new FactOptions { Exclusive = true });
        var lisbonTime = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromDays(1));
        await Graph.AssertAsync("Ana", "lives_in", "Porto", Acme, new FactOptions { Exclusive = true });

        var toPorto = await Graph.PathsAsync("John", "Porto", Acme, maxHops: 3);
        var tooShort = await Graph.PathsAsync("John", "Porto", Acme, maxHops: 2);
        var toLisbonNow = await Graph.PathsAsync("John", "Lisbon", Acme, maxHops: 3);
        var toLisbonThen = await Graph.PathsAsync("John", "Lisbon", Acme, maxHops: 3, at: lisbonTime);

        Assert.Equal("John —works_at→ Acme Corp ←customer_of— Ana —lives_in→ Porto", Assert.Single(toPorto).ToString());
        Assert.Empty(tooShort);
        Assert.Empty(toLisbonNow);
        Assert.Single(toLisbonThen);
    }

    [Fact]
    public async Task Another_tenants_facts_and_entities_are_never_seen()
    {
        var globex = new MemoryScope("globex");
        await Graph.AssertAsync("Ana", "works_at", "Globex", globex);

        Assert.Empty(await Graph.FactsAboutAsync("Ana", Acme));
        Assert.Empty(await Graph.RelatedAsync("Globex", Acme));
        Assert.Null(await Graph.GetEntityAsync("Ana", Acme));
        Assert.Single(await Graph.FactsAboutAsync("Ana", globex));
        Assert.Single(await Graph.FactsAboutAsync("Ana", new MemoryScope("globex", "sales", "seller")));
    }

    [Fact]
    public async Task An_imported_fact_keeps_its_id_validity_and_supersession_and_is_imported_once()
    {
        var scope = Acme.ForTeam("support");
        var closed = new Fact
        {
            Id = "f-closed", Scope = scope, Subject = "client", Relation = "prefers", Object = "Python", ObjectIsEntity = false,
            ValidFrom = Time.GetUtcNow().AddDays(-30), ValidTo = Time.GetUtcNow().AddDays(-2), RecordedAt = Time.GetUtcNow().AddDays(-30),
            SupersededBy = "f-current", Source = new MemorySource("writer", "r1", "billing"), Confidence = 0.8,
        };
        var current = closed with { Id = "f-current", Object = "Go", ValidFrom = closed.ValidTo!.Value, ValidTo = null, SupersededBy = null, RecordedAt = closed.ValidTo!.Value };

        Assert.True(await Graph.Store.ImportFactAsync(closed));
        Assert.True(await Graph.Store.ImportFactAsync(current));
        Assert.False(await Graph.Store.ImportFactAsync(closed with { Object = "Rust" }));
        Assert.False(await Graph.Store.ImportFactAsync(current));

        var all = await Graph.Store.FactsAsync(new FactQuery { Scope = Acme, IncludeHistory = true });
        Assert.Equal([closed, current], all);
        Assert.Equal("Go", Assert.Single(await Graph.FactsAboutAsync("client", scope, "prefers")).Object);
        Assert.Empty(await Graph.Store.FactsAsync(new FactQuery { Scope = new MemoryScope("globex"), IncludeHistory = true }));
    }

    [Fact]
    public async Task A_tenant_scope_lists_every_entity_and_fact_of_its_teams_and_agents_for_copying()
    {
        await Graph.AssertAsync("Ana Lima", "works at", "Lima Design", Acme.ForTeam("support"));
        await Graph.AssertAsync("Ana Lima", "owns", "Invoice 7", Acme.ForAgent("billing"));
        await Graph.AssertAsync("Bo", "works at", "Globex", new MemoryScope("globex"));

        var entities = await Graph.Store.FindEntitiesAsync(Acme, "", int.MaxValue);
        var facts = await Graph.Store.FactsAsync(new FactQuery { Scope = Acme, IncludeHistory = true, Limit = int.MaxValue });

        Assert.Equal(["ana lima", "invoice 7", "lima design"], entities.Select(e => e.Key).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["owns", "works_at"], facts.Select(f => f.Relation).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Importing_a_closed_copy_of_a_current_fact_closes_it_and_nothing_reopens_it()
    {
        var written = await Graph.AssertAsync("Ana Lima", "works at", "Lima Design", Acme);
        var closed = written.Fact with { ValidTo = Time.GetUtcNow().AddDays(2), SupersededBy = "f-next" };

        Assert.True(await Graph.Store.ImportFactAsync(closed));
        Assert.False(await Graph.Store.ImportFactAsync(written.Fact));

        Assert.Equal([closed], await Graph.Store.FactsAsync(new FactQuery { Scope = Acme, IncludeHistory = true }));
    }
}
