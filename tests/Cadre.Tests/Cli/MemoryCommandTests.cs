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
    public async Task Import_stores_json_lines_into_a_scope_and_importing_again_adds_nothing()
    {
        var file = Path.Combine(_dir.Path, "notes.jsonl");
        await File.WriteAllLinesAsync(file, [
            """{"text": "Ana Lima prefers phone calls over email.", "metadata": {"customer": "C-1002"}, "importance": 0.8}""",
            "",
            """{"text": "The office closes at six on Fridays."}""",
        ]);

        var first = await Cadre("memory", "import", "notes.jsonl", "--scope", "acme", "--embeddings", "hashing", "--json");
        var again = await Cadre("memory", "import", "notes.jsonl", "--scope", "acme", "--embeddings", "hashing", "--json");

        Assert.Equal((0, 2, 2, 0), (first.ExitCode, (int)JsonNode.Parse(first.Out)!["read"]!, (int)JsonNode.Parse(first.Out)!["added"]!, (int)JsonNode.Parse(first.Out)!["duplicates"]!));
        Assert.Equal((0, 2), ((int)JsonNode.Parse(again.Out)!["added"]!, (int)JsonNode.Parse(again.Out)!["duplicates"]!));
        var listed = JsonNode.Parse((await Cadre("memory", "list", "--scope", "acme", "--filter", "customer=C-1002", "--json")).Out)!.AsArray();
        Assert.Equal(0.8, (double)Assert.Single(listed)!["importance"]!);
    }

    [Fact]
    public async Task A_bad_line_stops_the_import_before_anything_is_stored_and_says_where()
    {
        var file = Path.Combine(_dir.Path, "notes.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"text": "Fine."}""", """{"txt": "typo"}"""]);

        var result = await Cadre("memory", "import", "notes.jsonl", "--scope", "acme", "--embeddings", "hashing");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("notes.jsonl:2: each line is an object with a non-empty \"text\"", result.Error);
        Assert.Empty(JsonNode.Parse((await Cadre("memory", "list", "--scope", "acme", "--json")).Out)!.AsArray());
    }

    [Fact]
    public async Task A_locomo_conversation_imports_as_turns_with_speaker_date_and_position()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "talk.json"), """
            [{"sample_id": "conv-1", "conversation": {"speaker_a": "Ana", "speaker_b": "Wei",
              "session_1_date_time": "1:56 pm on 8 May, 2023",
              "session_1": [{"speaker": "Ana", "dia_id": "D1:1", "text": "I adopted a dog named Rex."},
                            {"speaker": "Wei", "dia_id": "D1:2", "text": "What breed is he?"}]},
              "qa": []}]
            """);

        var imported = await Cadre("memory", "import", "talk.json", "--scope", "acme", "--embeddings", "hashing");
        var listed = JsonNode.Parse((await Cadre("memory", "list", "--scope", "acme", "--json")).Out)!.AsArray();

        Assert.Equal(0, imported.ExitCode);
        var rex = listed.Single(m => ((string)m!["text"]!).Contains("Rex", StringComparison.Ordinal))!;
        Assert.Equal("Ana: I adopted a dog named Rex.", (string?)rex["text"]);
        Assert.Equal(("Ana", "1:56 pm on 8 May, 2023", "conv-1/1", "1"), ((string?)rex["metadata"]!["speaker"], (string?)rex["metadata"]!["date"], (string?)rex["metadata"]!["thread"], (string?)rex["metadata"]!["turn"]));
    }

    [Fact]
    public async Task After_switching_embedders_search_says_to_reembed_and_reembed_makes_it_work()
    {
        await Cadre("memory", "add", "Ana Lima prefers phone calls over email.", "--scope", "acme", "--embeddings", "hashing");

        var refused = await Cadre("memory", "search", "phone", "--scope", "acme", "--embeddings", "local:minilm");
        var reembedded = await Cadre("memory", "reembed", "--scope", "acme", "--embeddings", "local:minilm", "--json");
        var found = await Cadre("memory", "search", "how to reach Ana", "--scope", "acme", "--embeddings", "local:minilm", "--json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("cadre memory reembed --scope acme", refused.Error);
        Assert.Equal(1, (int)JsonNode.Parse(reembedded.Out)!["reembedded"]!);
        Assert.Single(JsonNode.Parse(found.Out)!.AsArray());
        Assert.Equal(0, (int)JsonNode.Parse((await Cadre("memory", "reembed", "--scope", "acme", "--embeddings", "local:minilm", "--json")).Out)!["reembedded"]!);
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
