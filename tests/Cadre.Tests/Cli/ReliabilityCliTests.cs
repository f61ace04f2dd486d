using System.Text.Json.Nodes;
using Cadre.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Cli;

/// <summary>The command line's reliability: a fallback shown live, dead letters and their retry, budgets, chaos
/// options, and clear errors for bad values. Retries and backoff run on a fake clock.</summary>
public sealed class ReliabilityCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose() => _dir.Dispose();

    private static string Cassette => "replay:" + Path.Combine(RepoPaths.SupportDesk, "support.cassette.json");

    private Task<CliRunner.Result> Cli(params string[] args) =>
        _time.DriveAsync(CliRunner.RunAsync(_dir.Path, _time, null, default, args), TimeSpan.FromSeconds(1));

    private static string Id(CliRunner.Result result) => result.Lines[0].Split(' ')[1];

    private string Script(string name, int failures) =>
        _dir.Write(name, "[" + string.Join(",", Enumerable.Repeat("""{"error":"overloaded","statusCode":503}""", failures)) + "]");

    [Fact]
    public async Task A_failing_first_model_falls_back_to_the_recorded_level_and_the_run_says_it_was_degraded()
    {
        var outage = Path.Combine(RepoPaths.SupportDesk, "outage.json");

        var run = await Cli("run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--model", $"scripted:{outage}, {Cassette}");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("fallback chain: full scripted:", run.Out);
        Assert.Contains("↻ retry scripted:", run.Out);
        Assert.Contains("⇣ level full → recorded", run.Out);
        Assert.Contains("✔ done (degraded: served at recorded)", run.Out);

        var show = JsonNode.Parse((await Cli("runs", "show", Id(run), "--json")).Out)!;
        Assert.True((bool)show["degraded"]!);
        Assert.Equal("recorded", (string?)show["level"]!["name"]);
        Assert.All(show["steps"]!.AsArray(), s => Assert.Equal("recorded", (string?)s!["level"]!["name"]));
    }

    [Fact]
    public async Task A_run_whose_model_stays_down_is_dead_lettered_and_dlq_retry_finishes_it()
    {
        var down = Script("down.json", 4);

        var run = await Cli("run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--model", $"scripted:{down}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("dead-lettered", run.Error);
        var list = JsonNode.Parse((await Cli("dlq", "list", "--json")).Out)!.AsArray();
        var id = (string)Assert.Single(list)!["id"]!;
        var letter = JsonNode.Parse((await Cli("dlq", "show", id, "--json")).Out)!;
        Assert.Equal(Id(run), (string?)letter["runId"]);
        Assert.Equal(("triage", 1), ((string?)letter["agent"], (int)letter["step"]!));
        Assert.Equal(4, letter["attempts"]!.AsArray().Count);
        Assert.Equal(RepoPaths.SupportDeskTask, (string?)letter["inputs"]!["task"]);
        Assert.Contains("503 overloaded", (string?)letter["error"]);
        Assert.Contains("retry it with: cadre dlq retry", (await Cli("dlq", "show", id)).Out);

        var retry = await Cli("dlq", "retry", id[..6], "--model", Cassette);

        Assert.True(retry.ExitCode == 0, retry.Out + retry.Error);
        Assert.Equal($"run {Id(run)} resumed", retry.Lines[0]);
        Assert.Contains("No pending dead letters", (await Cli("dlq", "list")).Out);
        var all = JsonNode.Parse((await Cli("dlq", "list", "--all", "--json")).Out)!.AsArray();
        Assert.Equal("retried", (string?)all[0]!["status"]);
        Assert.Equal("retried: the run is completed", (string?)all[0]!["resolution"]);
        Assert.Equal(2, (await Cli("dlq", "retry", id)).ExitCode);
    }

    [Fact]
    public async Task A_dead_letter_can_be_discarded_with_a_reason()
    {
        await Cli("run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--model", $"scripted:{Script("down.json", 4)}");
        var id = (string)JsonNode.Parse((await Cli("dlq", "list", "--json")).Out)!.AsArray()[0]!["id"]!;

        var discard = await Cli("dlq", "discard", id, "--reason", "customer withdrew");

        Assert.Equal(0, discard.ExitCode);
        Assert.Equal("discarded: customer withdrew", (string?)JsonNode.Parse((await Cli("dlq", "show", id, "--json")).Out)!["resolution"]);
        Assert.Equal(2, (await Cli("dlq", "show", "dl-nothing")).ExitCode);
    }

    [Fact]
    public async Task A_run_at_its_token_budget_stops_cleanly_and_resumes_without_the_cap()
    {
        var run = await Cli("run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--max-tokens", "100");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("■ stopped after 1 step", run.Out);
        var show = JsonNode.Parse((await Cli("runs", "show", Id(run), "--json")).Out)!;
        Assert.Equal("stopped", (string?)show["status"]);
        Assert.Contains("token budget", (string?)show["error"]);
        Assert.Equal("billing", (string?)show["nextAgent"]);

        var again = await Cli("resume", Id(run), "--max-tokens", "100");
        Assert.Equal(1, again.ExitCode);

        var resumed = await Cli("resume", Id(run));
        Assert.True(resumed.ExitCode == 0, resumed.Out + resumed.Error);
        Assert.Contains("Opened high-priority ticket T-1001", resumed.Out);
    }

    [Fact]
    public async Task Chaos_on_the_command_line_shows_the_retries_it_causes_and_the_run_still_finishes()
    {
        var run = await Cli("run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--chaos", "0.3", "--seed", "2");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("chaos: faults in 30% of model and tool calls (seed 2)", run.Out);
        Assert.Contains("↻ retry", run.Out);
        var show = JsonNode.Parse((await Cli("runs", "show", Id(run), "--json")).Out)!;
        Assert.Equal("chaos: faults in 30% of model and tool calls (seed 2)", (string?)show["metadata"]!["chaos"]);
    }

    [Theory]
    [InlineData("--chaos 1.5", "--chaos is the share of calls that fail")]
    [InlineData("--seed 3", "--seed sets the seed of --chaos")]
    [InlineData("--chaos-latency -5", "--chaos-latency is a number of milliseconds")]
    [InlineData("--max-time soon", "--max-time is a duration")]
    [InlineData("--max-tokens 0", "must be positive")]
    [InlineData("--max-cost 1", "workflow.price")]
    public async Task Bad_reliability_options_are_usage_errors(string options, string message)
    {
        var result = await Cli(["run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, .. options.Split(' ')]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
    }
}
