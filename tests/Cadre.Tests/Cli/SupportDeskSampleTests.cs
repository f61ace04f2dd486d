using System.Text.Json.Nodes;
using Cadre.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Cadre.Tests.Cli;

/// <summary>The support-desk sample, end to end through the cadre command, offline on its shipped cassette.</summary>
public sealed class SupportDeskSampleTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_recorded_task_runs_offline_hands_off_to_billing_and_leaves_a_ticket_and_an_email()
    {
        var result = await CliRunner.RunAsync(_dir.Path, "run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask);

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Matches(@"^run r\d{6}-\d{6}-[0-9a-f]{4} started$", result.Lines[0]);
        Assert.Contains("serving recorded responses from support.cassette.json", result.Out);
        Assert.Contains("handoff triage → billing", result.Out);
        Assert.Contains("→ lookup_invoice", result.Out);
        Assert.Contains("agents: triage → billing", result.Out);
        Assert.Contains("Opened high-priority ticket T-1001", result.Out);

        var workspace = _dir.Combine(".cadre");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(workspace, "support-desk", "support.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, customer_id, priority, status, created_by FROM tickets;";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("T-1001", "C-1001", "high", "open", "billing"),
                (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            Assert.False(await reader.ReadAsync());
        }

        var email = Assert.Single(Directory.GetFiles(Path.Combine(workspace, "support-desk", "outbox"), "*.eml"));
        var text = await File.ReadAllTextAsync(email);
        Assert.Contains("To: john@example.com", text);
        Assert.Contains("T-1001", text);
    }

    [Fact]
    public async Task Runs_show_reports_every_step_of_the_run_as_json()
    {
        var run = await CliRunner.RunAsync(_dir.Path, "run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask);
        Assert.Equal(0, run.ExitCode);
        var id = run.Lines[0].Split(' ')[1];

        var show = await CliRunner.RunAsync(_dir.Path, "runs", "show", id, "--json");

        Assert.Equal(0, show.ExitCode);
        var json = JsonNode.Parse(show.Out)!.AsObject();
        Assert.Equal(id, (string?)json["id"]);
        Assert.Equal("completed", (string?)json["status"]);
        Assert.Equal(["triage", "billing"], json["agents"]!.AsArray().Select(a => (string?)a));
        var steps = json["steps"]!.AsArray();
        Assert.Equal(2, steps.Count);
        Assert.Equal("billing", (string?)steps[0]!["handoff"]!["to"]);
        Assert.Equal(["lookup_invoice", "create_ticket", "send_email"], steps[1]!["toolCalls"]!.AsArray().Select(c => (string?)c!["tool"]));
        Assert.All(steps[1]!["toolCalls"]!.AsArray(), c => Assert.Equal("succeeded", (string?)c!["status"]));
        Assert.True((long)json["usage"]!["totalTokens"]! > 0);
    }
}
