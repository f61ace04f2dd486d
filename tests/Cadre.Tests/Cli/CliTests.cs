using System.Text.Json.Nodes;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public CliTests()
    {
        _dir.Write("desk/cadre.yaml", """
            model: scripted:script.json
            agents:
              researcher: { instructions: Find facts. }
              writer: { instructions: Write the reply. }
            workflow: { type: sequential }
            """);
    }

    public void Dispose() => _dir.Dispose();

    private void Script(string name, string json) => _dir.Write($"desk/{name}", json);

    [Fact]
    public async Task A_run_prints_its_id_first_then_the_steps_the_answer_and_exits_0()
    {
        Script("script.json", """{ "replies": [ { "agent": "researcher", "text": "Fact: charged twice." }, { "agent": "writer", "text": "We will refund you." } ] }""");

        var result = await CliRunner.RunAsync(_dir.Path, "run", "desk", "Reply to John");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^run r\d{6}-\d{6}-[0-9a-f]{4} started$", result.Lines[0]);
        Assert.Contains("▶ step 1 · researcher", result.Out);
        Assert.Contains("▶ step 2 · writer", result.Out);
        Assert.Contains("✔ done in 2 steps", result.Out);
        Assert.Contains("  We will refund you.", result.Out);
        Assert.True(File.Exists(_dir.Combine(".cadre", "cadre.db")));
    }

    [Fact]
    public async Task With_json_the_run_is_one_object_after_the_first_line()
    {
        Script("script.json", """{ "replies": [ { "text": "a" }, { "text": "b" } ] }""");

        var result = await CliRunner.RunAsync(_dir.Path, "run", "desk/cadre.yaml", "t", "--json", "--workspace", "ws");

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(string.Join('\n', result.Lines.Skip(1)))!;
        Assert.Equal(result.Lines[0].Split(' ')[1], (string?)json["id"]);
        Assert.Equal(("completed", "b", 2), ((string?)json["status"], (string?)json["answer"], json["steps"]!.AsArray().Count));
        Assert.True(File.Exists(_dir.Combine("ws", "cadre.db")));
    }

    [Fact]
    public async Task A_failed_run_exits_1_with_the_reason_and_resumes_from_its_last_good_step()
    {
        Script("script.json", """{ "replies": [ { "text": "Fact: charged twice." }, { "error": "the model rejected the request", "statusCode": 400 } ] }""");
        var failed = await CliRunner.RunAsync(_dir.Path, "run", "desk", "Reply to John");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("✖ failed after 1 step: 400 the model rejected the request", failed.Out);
        var id = failed.Lines[0].Split(' ')[1];
        Assert.Contains($"run {id} failed: 400 the model rejected the request", failed.Error);

        Script("fixed.json", """{ "replies": [ { "agent": "writer", "text": "Refund on its way." } ] }""");
        var resumed = await CliRunner.RunAsync(_dir.Path, "resume", id[..12], "--model", "scripted:desk/fixed.json");

        Assert.True(resumed.ExitCode == 0, resumed.Out + resumed.Error);
        Assert.Equal($"run {id} resumed", resumed.Lines[0]);
        Assert.Contains($"resuming run {id} after step 1", resumed.Out);
        Assert.DoesNotContain("step 1 · researcher", resumed.Out.Split("Transcript")[0]);
        Assert.Contains("▶ step 2 · writer", resumed.Out);
        var show = await CliRunner.RunAsync(_dir.Path, "runs", "show", id, "--json");
        var json = JsonNode.Parse(show.Out)!;
        Assert.Equal(("completed", "Refund on its way."), ((string?)json["status"], (string?)json["answer"]));
        Assert.Equal(["researcher", "writer"], json["agents"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task Runs_list_shows_the_runs_newest_first()
    {
        var empty = await CliRunner.RunAsync(_dir.Path, "runs", "list");
        Assert.Equal((0, "No runs yet. Start one with: cadre run <spec> \"<task>\""), (empty.ExitCode, empty.Out.Trim()));

        Script("script.json", """{ "replies": [ { "text": "a" }, { "text": "b" }, { "text": "c" }, { "text": "d" } ] }""");
        var first = await CliRunner.RunAsync(_dir.Path, "run", "desk", "first task");
        var second = await CliRunner.RunAsync(_dir.Path, "run", "desk", "second task");

        var list = await CliRunner.RunAsync(_dir.Path, "runs", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.StartsWith("RUN ", list.Lines[0], StringComparison.Ordinal);
        Assert.Contains(second.Lines[0].Split(' ')[1], list.Lines[1]);
        Assert.Contains("second task", list.Lines[1]);
        Assert.Contains(first.Lines[0].Split(' ')[1], list.Lines[2]);
        var json = JsonNode.Parse((await CliRunner.RunAsync(_dir.Path, "runs", "list", "--json")).Out)!.AsArray();
        Assert.Equal(["second task", "first task"], json.Select(r => (string?)r!["task"]));
    }

    public static TheoryData<string[], string> BadUsage => new()
    {
        { [], "error: Required command was not provided." },
        { ["fly"], "error: Unrecognized command or argument 'fly'." },
        { ["run", "desk"], "error: Required argument missing for command: 'run'." },
        { ["run", "nowhere", "t"], "no such spec file or folder." },
        { ["run", "desk", "t", "--model", "gpt-4o"], "error: 'gpt-4o' is not a model spec." },
        { ["run", "desk", "t", "--model", "openai:gpt-4o"], "error: No model in 'openai:gpt-4o' can serve: openai:gpt-4o — OPENAI_API_KEY is not set." },
        { ["runs", "show", "r999999"], "error: The workspace has no run 'r999999' (see: cadre runs list)." },
        { ["resume", "r999999"], "error: The workspace has no run 'r999999' (see: cadre runs list)." },
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task Bad_usage_exits_2_with_a_message_and_no_stack_trace(string[] args, string message)
    {
        var result = await CliRunner.RunAsync(_dir.Path, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("run r", result.Out);
    }

    [Fact]
    public async Task A_malformed_spec_exits_2_with_file_line_and_problem()
    {
        _dir.Write("bad/cadre.yaml", "agents:\n  a: { instructons: x }\nworkflow: { type: sequential }\n");

        var result = await CliRunner.RunAsync(_dir.Path, "run", "bad", "t");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {_dir.Combine("bad", "cadre.yaml")}:2:8: unknown key 'instructons' in agent 'a'. Did you mean 'instructions'? Known keys: instructions, description, model, tools, handoffs, max_tool_rounds, context_tokens, capabilities, memory.", result.Error.Trim());
    }

    [Fact]
    public async Task A_damaged_workspace_exits_1_and_is_left_as_it_was()
    {
        Script("script.json", """{ "replies": [ { "text": "a" }, { "text": "b" } ] }""");
        var db = _dir.Write(".cadre/cadre.db", new string('x', 5000));

        var result = await CliRunner.RunAsync(_dir.Path, "run", "desk", "t");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is damaged or not a database", result.Error);
        Assert.Equal(new string('x', 5000), await File.ReadAllTextAsync(db));
    }
}
