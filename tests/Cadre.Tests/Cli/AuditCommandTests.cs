using System.Text.Json.Nodes;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

/// <summary><c>cadre audit</c>: every governed tool call of the workspace, by run and tool, with its outcome and how
/// many times the tool's code ran.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Audit_lists_the_sample_run_s_calls_with_outcomes_and_filters_by_run_and_tool()
    {
        var run = await CliRunner.RunAsync(_dir.Path, "run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--workspace", "ws",
            "--model", "replay:" + Path.Combine(RepoPaths.SupportDesk, "support.cassette.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        var id = run.Lines[0].Split(' ')[1];

        var all = await CliRunner.RunAsync(_dir.Path, "audit", "--run", id[..10], "--workspace", "ws");
        var email = JsonNode.Parse((await CliRunner.RunAsync(_dir.Path, "audit", "--tool", "send_email", "--json", "--workspace", "ws")).Out)!.AsArray();

        Assert.Equal(0, all.ExitCode);
        Assert.Matches(@"^AT \(UTC\)\s+RUN\s+STEP\s+AGENT\s+TOOL\s+OUTCOME\s+RAN\s+DETAIL$", all.Lines[0]);
        Assert.Equal(["search_customer", "lookup_invoice", "create_ticket", "send_email"], all.Lines.Skip(1).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[4].Trim()));
        Assert.All(all.Lines.Skip(1), l => Assert.Contains(" executed ", l, StringComparison.Ordinal));
        var entry = Assert.Single(email)!.AsObject();
        Assert.Equal((id, "billing", "executed", 1), ((string)entry["run"]!, (string)entry["agent"]!, (string)entry["outcome"]!, (int)entry["executions"]!));
        Assert.Equal(2, (int)entry["step"]!);
        Assert.StartsWith($"{id}/2/", (string)entry["key"]!, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAsync(_dir.Path, "audit", "--run", "r-nope", "--workspace", "ws")).ExitCode);
    }
}
