using System.Text.Json.Nodes;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Memory.Shared;
using Cadre.Sqlite;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

/// <summary><c>cadre memory ...</c> through the command line, in-process, on a real workspace file.</summary>
public sealed class MemoryCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliRunner.Result> Cadre(params string[] args) => CliRunner.RunAsync(_dir.Path, args);

    [Fact]
    public async Task Add_list_search_and_forget_work_within_a_scope()
    {
        var added = await Cadre("memory", "add", "Ana Lima prefers phone calls over email.", "--scope", "acme", "--meta", "customer=C-1002", "--importance", "0.8", "--json");
        Assert.Equal(0, added.ExitCode);
        var memory = JsonNode.Parse(added.Out)!;
        var id = (string)memory["id"]!;
        Assert.Equal(("added", "acme", "C-1002", 0.8), ((string?)memory["status"], (string?)memory["scope"], (string?)memory["metadata"]!["customer"], (double)memory["importance"]!));

        var duplicate = await Cadre("memory", "add", "ana lima prefers PHONE calls over email.", "--scope", "acme");
        Assert.Equal($"already remembered as {id} in acme: Ana Lima prefers phone calls over email.", duplicate.Lines[0]);
        await Cadre("memory", "add", "The office closes at six.", "--scope", "acme");
        await Cadre("memory", "add", "Globex's own note about phone calls.", "--scope", "globex");

        var list = await Cadre("memory", "list", "--scope", "acme");
        Assert.Equal(["ID", "SCOPE", "CREATED", "(UTC)", "IMPORTANCE", "SOURCE", "TEXT"], list.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, list.Lines.Count);

        var search = await Cadre("memory", "search", "how should we contact Ana, phone?", "--scope", "acme", "--k", "1", "--json");
        var hit = Assert.Single(JsonNode.Parse(search.Out)!.AsArray())!;
        Assert.Equal(id, (string?)hit["id"]);
        Assert.Equal(1, (int?)hit["keywordRank"]);
        var filtered = await Cadre("memory", "list", "--scope", "acme", "--filter", "customer=C-1002", "--json");
        Assert.Single(JsonNode.Parse(filtered.Out)!.AsArray());

        var forget = await Cadre("memory", "forget", id, "--scope", "acme");
        Assert.Equal(0, forget.ExitCode);
        Assert.Equal($"forgot {id}", forget.Lines[0]);
        var again = await Cadre("memory", "forget", id, "--scope", "acme");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"no memory {id} in scope acme", again.Error);
        Assert.DoesNotContain("Globex", (await Cadre("memory", "search", "phone calls", "--scope", "acme")).Out);
    }

    [Fact]
    public async Task Bad_scopes_labels_and_dates_are_usage_errors()
    {
        var scope = await Cadre("memory", "list", "--scope", "a/b/c/d");
        var meta = await Cadre("memory", "add", "x", "--meta", "novalue");
        var importance = await Cadre("memory", "add", "x", "--importance", "3");
        var date = await Cadre("memory", "facts", "Ana", "--at", "last tuesday");

        Assert.All([scope, meta, importance, date], r => Assert.Equal(2, r.ExitCode));
        Assert.Contains("'a/b/c/d' is not a memory scope", scope.Error);
        Assert.Contains("--meta takes key=value, not 'novalue'", meta.Error);
        Assert.Contains("--importance is a number from 0 to 1", importance.Error);
        Assert.Contains("'last tuesday' is not a date", date.Error);
    }

    [Fact]
    public async Task Facts_show_the_current_the_superseded_and_the_then_true_facts_of_an_entity()
    {
        await Cadre("memory", "assert", "Ana Lima", "prefers_contact", "email", "--value", "--scope", "acme", "--valid-from", "2026-01-01");
        var replaced = await Cadre("memory", "assert", "Ana Lima", "prefers contact", "phone", "--value", "--replaces", "--scope", "acme", "--valid-from", "2026-06-01");
        await Cadre("memory", "assert", "John", "works_at", "Acme Corp", "--scope", "acme");
        await Cadre("memory", "assert", "Ana Lima", "customer_of", "Acme Corp", "--scope", "acme");

        Assert.Contains("superseded f-", replaced.Out);
        var now = JsonNode.Parse((await Cadre("memory", "facts", "ana lima", "--scope", "acme", "--json")).Out)!;
        Assert.Equal(["phone", "Acme Corp"], now["facts"]!.AsArray().Select(f => (string?)f!["object"]));
        var then = JsonNode.Parse((await Cadre("memory", "facts", "Ana Lima", "--scope", "acme", "--at", "2026-03-01", "--relation", "prefers_contact", "--json")).Out)!;
        Assert.Equal("email", (string?)Assert.Single(then["facts"]!.AsArray())!["object"]);
        var history = await Cadre("memory", "facts", "Ana Lima", "--scope", "acme", "--history");
        Assert.Contains("—prefers_contact→ email  (2026-01-01 00:00 → 2026-06-01 00:00, superseded; cli;", history.Out);
        var acme = await Cadre("memory", "facts", "acme corp", "--scope", "acme");
        Assert.Contains("←works_at— John", acme.Out);
        Assert.Contains("←customer_of— Ana Lima", acme.Out);
        var unknown = await Cadre("memory", "facts", "Lima", "--scope", "acme");
        Assert.Contains("knows nothing about 'Lima'. Did you mean: Ana Lima?", unknown.Out);
        Assert.Contains("knows nothing", (await Cadre("memory", "facts", "Ana Lima", "--scope", "globex")).Out);
    }

    [Fact]
    public async Task Episodes_are_listed_and_ranked_by_similarity_with_their_lessons_and_the_audit_trail_shows_blackboard_writes()
    {
        await using (var workspace = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre")))
        {
            var acme = new MemoryScope("acme");
            await workspace.Memory.Episodes.RecordAsync(new Episode { Id = "r1", Scope = acme, Task = "john was charged twice for INV-1001", TaskType = "billing", Lessons = ["Check both charges first."], Agents = ["triage", "billing"] });
            await workspace.Memory.Episodes.RecordAsync(new Episode { Id = "r2", Scope = acme, Task = "the login page shows error 500", TaskType = "technical", Outcome = EpisodeOutcome.Failure });
            var board = workspace.Memory.Blackboard(acme, BlackboardActor.Agent("billing", "support"));
            await board.WriteAsync("team:support", "queue", System.Text.Json.Nodes.JsonValue.Create(1));
            await board.WriteAsync("team:support", "queue", System.Text.Json.Nodes.JsonValue.Create(2));
            await board.WriteAsync("shared", "banner", System.Text.Json.Nodes.JsonValue.Create("hi"));
        }

        var all = JsonNode.Parse((await Cadre("memory", "episodes", "--scope", "acme", "--json")).Out)!.AsArray();
        Assert.Equal(["r2", "r1"], all.Select(e => (string?)e!["id"]).Order().Reverse());
        var similar = await Cadre("memory", "episodes", "--scope", "acme", "--similar", "ana was charged twice for INV-2001");
        Assert.Contains("r1", similar.Lines[1]);
        Assert.Contains("  - Check both charges first. (from r1, success,", similar.Out);
        Assert.Empty(JsonNode.Parse((await Cadre("memory", "episodes", "--scope", "globex", "--json")).Out)!.AsArray());

        var audit = JsonNode.Parse((await Cadre("memory", "audit", "queue", "--scope", "acme", "--json")).Out)!.AsArray();
        Assert.Equal([2L, 1L], audit.Select(a => (long)a!["version"]!));
        Assert.Equal(("billing", 1, 2), ((string?)audit[0]!["actor"], (int)audit[0]!["old"]!, (int)audit[0]!["new"]!));
        var table = await Cadre("memory", "audit", "--scope", "acme");
        Assert.Equal(4, table.Lines.Count);
        Assert.Contains("team:support", table.Out);
    }
}
