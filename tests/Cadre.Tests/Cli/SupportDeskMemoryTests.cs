using System.Text.Json.Nodes;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

/// <summary>The support-desk sample remembers a customer's preference from one run in the next, offline on its shipped
/// cassette, with the memory, its episodes and the handoffs on the blackboard inspectable from the command line.</summary>
public sealed class SupportDeskMemoryTests : IDisposable
{
    private const string Remember = "This is Ana Lima (ana.lima@example.org). Invoice INV-2001 looks too high to me. Please call me about it rather than emailing; I prefer phone calls.";
    private const string Recall = "ana.lima@example.org wants to know when her Team plan renews.";
    private const string Preference = "Ana Lima (C-1002, ana.lima@example.org) prefers phone calls to email.";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliRunner.Result> Cadre(params string[] args) => CliRunner.RunAsync(_dir.Path, args);

    [Fact]
    public async Task A_preference_said_in_one_run_is_recalled_by_billing_in_the_next_with_where_it_came_from()
    {
        var first = await Cadre("run", RepoPaths.SupportDesk, Remember);
        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        var firstId = first.Lines[0].Split(' ')[1];
        Assert.Contains($"memory: added 1, updated 0, deleted 0, unchanged 0 — added \"{Preference}\"", first.Out);
        Assert.DoesNotContain("recalled", first.Out);

        var second = await Cadre("run", RepoPaths.SupportDesk, Recall);

        Assert.True(second.ExitCode == 0, second.Out + second.Error);
        Assert.Matches($@"billing recalled 1 memory: {System.Text.RegularExpressions.Regex.Escape(Preference)} \[m-[0-9a-f]{{16}}, \d{{4}}-\d{{2}}-\d{{2}}, writer, run {firstId}, agent billing\]", second.Out);
        Assert.Contains("memory: added 0, updated 0, deleted 0, unchanged 1", second.Out);
        Assert.Contains("She prefers phone calls to email", second.Out);
        var memories = JsonNode.Parse((await Cadre("memory", "list", "--scope", "acme", "--json")).Out)!.AsArray();
        var memory = Assert.Single(memories)!;
        Assert.Equal((Preference, "preference", $"writer, run {firstId}, agent billing"),
            ((string?)memory["text"], (string?)memory["metadata"]!["kind"], (string?)memory["source"]));
    }

    [Fact]
    public async Task Without_the_earlier_run_nothing_is_recalled()
    {
        var alone = await Cadre("run", RepoPaths.SupportDesk, Recall);

        Assert.True(alone.ExitCode == 0, alone.Out + alone.Error);
        Assert.DoesNotContain("recalled", alone.Out);
        Assert.Contains("memory: added 1", alone.Out);
    }

    [Fact]
    public async Task Each_run_leaves_an_episode_and_its_handoff_on_the_blackboard_written_by_triage()
    {
        var run = await Cadre("run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask);
        Assert.Equal(0, run.ExitCode);
        var id = run.Lines[0].Split(' ')[1];

        var episode = Assert.Single(JsonNode.Parse((await Cadre("memory", "episodes", "--scope", "acme", "--json")).Out)!.AsArray())!;
        var audit = Assert.Single(JsonNode.Parse((await Cadre("memory", "audit", $"handoffs/{id}", "--scope", "acme", "--json")).Out)!.AsArray())!;

        Assert.Equal((id, "success"), ((string?)episode["id"], (string?)episode["outcome"]));
        Assert.Equal(["triage", "billing"], episode["agents"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(("triage", "team:support-desk"), ((string?)audit["actor"], (string?)audit["namespace"]));
        Assert.Equal("billing", (string?)audit["new"]![0]!["to"]);
    }
}
