using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

/// <summary><c>cadre workspace migrate</c> copies the support-desk sample's SQLite workspace into PostgreSQL and back,
/// keeping run ids, steps, answers and memories; copying again adds nothing.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkspaceMigrateTests(PostgresServer server) : IDisposable
{
    private const string Remember = "This is Ana Lima (ana.lima@example.org). Invoice INV-2001 looks too high to me. Please call me about it rather than emailing; I prefer phone calls.";
    private const string Preference = "Ana Lima (C-1002, ana.lima@example.org) prefers phone calls to email.";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> Cadre(params string[] args)
    {
        var result = await CliRunner.RunAsync(_dir.Path, args);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        return result.Out;
    }

    [Fact]
    public async Task The_samples_workspace_round_trips_through_postgres_keeping_run_ids_and_memories()
    {
        await Cadre("run", RepoPaths.SupportDesk, Remember);
        var postgres = await server.CreateDatabaseAsync();
        var back = _dir.Combine("back");

        var there = await Cadre("workspace", "migrate", "--to", postgres);
        var again = await Cadre("workspace", "migrate", "--to", postgres);
        await Cadre("workspace", "migrate", "--workspace", postgres, "--to", back);

        Assert.StartsWith("copied 1 run(s) (0 already there), 0 dead letter(s), 1 memories", there);
        Assert.StartsWith("copied 0 run(s) (1 already there), 0 dead letter(s), 0 memories", again);
        var runs = JsonNode.Parse(await Cadre("runs", "list", "--json"))!.AsArray().Select(r => (string)r!["id"]!).ToList();
        Assert.Equal(runs, JsonNode.Parse(await Cadre("runs", "list", "--json", "--workspace", back))!.AsArray().Select(r => (string)r!["id"]!));
        foreach (var id in runs)
        {
            var original = Microseconds(await Cadre("runs", "show", id, "--json"));
            Assert.Equal(original, Microseconds(await Cadre("runs", "show", id, "--json", "--workspace", postgres)));
            Assert.Equal(original, Microseconds(await Cadre("runs", "show", id, "--json", "--workspace", back)));
        }

        Assert.Contains(Preference, await Cadre("memory", "search", "how should we contact Ana", "--scope", "acme", "--workspace", postgres));
        Assert.Contains(Preference, await Cadre("memory", "search", "how should we contact Ana", "--scope", "acme", "--workspace", back));
    }

    // PostgreSQL keeps times to the microsecond; .NET and SQLite to a tenth of one.
    private static string Microseconds(string json) => Regex.Replace(json, @"(\.\d{6})\d(?=[+Z])", "$1");

    [Fact]
    public async Task Migrating_a_workspace_into_itself_is_refused()
    {
        var result = await CliRunner.RunAsync(_dir.Path, "workspace", "migrate", "--to", ".cadre");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the same workspace", result.Error + result.Out);
    }
}
