using System.Text.Json.Nodes;
using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;
using Cadre.Postgres;
using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Workspaces;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Postgres;

/// <summary><see cref="WorkspaceCopy"/> carries the knowledge graph (facts with their validity in time, closed ones
/// included) and blackboards (values, versions, audit trail) from SQLite through PostgreSQL and back with nothing lost,
/// and copying again adds only what is new.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkspaceCopyKnowledgeTests(PostgresServer server) : IDisposable
{
    private static readonly MemoryScope Acme = new("acme");
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Facts_and_blackboards_round_trip_sqlite_to_postgres_and_back_and_a_second_copy_adds_only_what_is_new()
    {
        var url = await server.CreateDatabaseAsync();
        await using var sqlite = await SqliteWorkspace.OpenAsync(_dir.Combine("from"));
        await using var postgres = await PostgresWorkspace.OpenAsync(url);
        await using var back = await SqliteWorkspace.OpenAsync(_dir.Combine("back"));
        var graph = new KnowledgeGraph(sqlite.Memory.Stores.Knowledge, _time);
        await graph.AssertAsync("client", "prefers", "Python", Acme.ForTeam("support"), new FactOptions { ObjectIsValue = true, Exclusive = true });
        var works = await graph.AssertAsync("Ana Lima", "works at", "Lima Design", Acme, new FactOptions { Source = new MemorySource("writer", "r1", "billing"), Confidence = 0.7 });
        _time.Advance(TimeSpan.FromDays(3));
        await graph.AssertAsync("client", "prefers", "Go", Acme.ForTeam("support"), new FactOptions { ObjectIsValue = true, Exclusive = true });
        await graph.AssertAsync("Bo", "works at", "Globex", new MemoryScope("globex"));
        var board = new Blackboard(sqlite.Memory.Stores.Blackboard, Acme, BlackboardActor.Agent("billing", "support"), null, _time);
        await board.WriteAsync("shared", "status", JsonValue.Create("open"));
        _time.Advance(TimeSpan.FromMinutes(5));
        await board.As(BlackboardActor.Agent("triage", "support")).WriteAsync("shared", "status", JsonValue.Create("closed"));
        await board.WriteAsync("shared", "owner", JsonValue.Create("billing"));
        string[] tenants = ["acme", "globex"];

        var there = await WorkspaceCopy.CopyAsync(sqlite, postgres, tenants);
        var again = await WorkspaceCopy.CopyAsync(sqlite, postgres, tenants);
        await board.WriteAsync("shared", "status", JsonValue.Create("reopened"));
        await graph.RetractAsync(works.Fact.Id, Acme);
        var more = await WorkspaceCopy.CopyAsync(sqlite, postgres, tenants);
        var home = await WorkspaceCopy.CopyAsync(postgres, back, tenants);

        Assert.Equal((4, 3), (there.Facts, there.BlackboardWrites));
        Assert.Equal((0, 0), (again.Facts, again.BlackboardWrites));
        Assert.Equal((1, 1), (more.Facts, more.BlackboardWrites));
        Assert.Equal((4, 4), (home.Facts, home.BlackboardWrites));
        foreach (var tenant in tenants.Select(t => new MemoryScope(t)))
        {
            var query = new FactQuery { Scope = tenant, IncludeHistory = true, Limit = int.MaxValue };
            var original = await sqlite.Memory.Stores.Knowledge.FactsAsync(query);
            Assert.Equal(original, await back.Memory.Stores.Knowledge.FactsAsync(query));
            Assert.Equal(Keys(await sqlite.Memory.Stores.Knowledge.FindEntitiesAsync(tenant, "", int.MaxValue)),
                Keys(await back.Memory.Stores.Knowledge.FindEntitiesAsync(tenant, "", int.MaxValue)));
        }

        Assert.Empty(await postgres.Memory.Stores.Knowledge.FactsAsync(new FactQuery { Scope = Acme, Relation = "works_at" }));
        Assert.Equal(["acme"], await back.Memory.Stores.Blackboard.ListBoardsAsync());
        foreach (var target in new[] { postgres.Memory.Stores.Blackboard, back.Memory.Stores.Blackboard })
        {
            Assert.Equal(await sqlite.Memory.Stores.Blackboard.ListAsync("acme"), await target.ListAsync("acme"));
            Assert.Equal(Audit(await sqlite.Memory.Stores.Blackboard.AuditAsync("acme", limit: int.MaxValue)), Audit(await target.AuditAsync("acme", limit: int.MaxValue)));
        }
    }

    private static List<string> Keys(IReadOnlyList<Entity> entities) => entities.Select(e => $"{e.Scope}|{e.Key}|{e.Type}|{e.Description}").Order(StringComparer.Ordinal).ToList();

    // Sequence numbers belong to each store; everything else is copied.
    private static List<BlackboardAuditEntry> Audit(IReadOnlyList<BlackboardAuditEntry> entries) => entries.Select(e => e with { Sequence = 0 }).ToList();
}
