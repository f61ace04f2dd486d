using System.Text.Json.Nodes;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

/// <summary>
/// The support-desk sample on a PostgreSQL workspace, across two hosts (two processes in two folders that share only
/// the database): host A starts a run and dies in the middle of it; host B finds the run, resumes it to the end, and
/// searches the memory the run wrote.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEndToEndTests(PostgresServer server) : IDisposable
{
    private const string Remember = "This is Ana Lima (ana.lima@example.org). Invoice INV-2001 looks too high to me. Please call me about it rather than emailing; I prefer phone calls.";
    private const string Preference = "Ana Lima (C-1002, ana.lima@example.org) prefers phone calls to email.";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _hostA = new();
    private readonly TempDirectory _hostB = new();

    public void Dispose()
    {
        _hostA.Dispose();
        _hostB.Dispose();
    }

    [Fact]
    public async Task A_run_started_on_one_host_is_shown_resumed_and_its_memory_searched_from_another()
    {
        var workspace = await server.CreateDatabaseAsync();
        var slowReplay = $"replay:{Path.Combine(RepoPaths.SupportDesk, "support.cassette.json")}?delay=400";
        string id;
        using (var hostA = CliProcess.Start(_hostA.Path, "run", RepoPaths.SupportDesk, Remember, "--workspace", workspace, "--model", slowReplay))
        {
            id = await hostA.RunIdAsync(Limit);
            await hostA.KillAsync();
        }

        var interrupted = await ShowAsync(workspace, id);
        Assert.Equal("running", (string?)interrupted["status"]);

        // No lock spans hosts: host A's lease must lapse before host B may take the run over, so B waits for it.
        using (var resume = CliProcess.Start(_hostB.Path, "resume", id, "--workspace", workspace, "--wait"))
        {
            Assert.True(await resume.ExitAsync(Limit) == 0, resume.Output);
            Assert.Contains($"run {id} resumed", resume.Output);
        }

        var finished = await ShowAsync(workspace, id);
        Assert.Equal("completed", (string?)finished["status"]);
        Assert.Contains("phone", (string?)finished["answer"], StringComparison.OrdinalIgnoreCase);

        // CADRE_WORKSPACE is not set here; the option names the database.
        var search = await RunAsync(_hostB, "memory", "search", "how does Ana want to be contacted", "--scope", "acme", "--workspace", workspace);
        Assert.Contains(Preference, search);
    }

    private async Task<JsonObject> ShowAsync(string workspace, string id) =>
        JsonNode.Parse(await RunAsync(_hostB, "runs", "show", id, "--json", "--workspace", workspace))!.AsObject();

    private static async Task<string> RunAsync(TempDirectory host, params string[] args)
    {
        using var cli = CliProcess.Start(host.Path, args);
        Assert.True(await cli.ExitAsync(Limit) == 0, cli.Output);
        return string.Join('\n', cli.Lines.Where(l => !l.StartsWith("stderr: ", StringComparison.Ordinal)));
    }
}
