using System.Text.Json.Nodes;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

/// <summary><c>cadre run --wait-for-approval</c>, <c>cadre approvals</c> and <c>cadre resume</c>: a call that needs
/// approval waits for a person across processes, and the decision made later is the one that counts.</summary>
public sealed class ApprovalsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Outbox => _dir.Combine(".cadre", "support-desk", "outbox");

    [Fact(Timeout = 300_000)]
    public async Task A_waiting_email_is_sent_once_after_it_is_approved_at_the_command_line()
    {
        var run = await CliRunner.RunAsync(_dir.Path, "run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--wait-for-approval");

        Assert.Equal(1, run.ExitCode);
        var runId = run.Lines[0].Split(' ')[1];
        Assert.Contains("waiting for approval", run.Out);
        Assert.Contains($"waiting-for-approval", run.Error);
        Assert.False(Directory.Exists(Outbox));
        var list = await CliRunner.RunAsync(_dir.Path, "approvals", "list", "--json");
        var request = Assert.Single(JsonNode.Parse(list.Out)!.AsArray())!.AsObject();
        Assert.Equal("pending", (string?)request["status"]);
        Assert.Equal("send_email", (string?)request["tool"]);
        Assert.Equal(runId, (string?)request["runId"]);
        var id = (string)request["id"]!;

        var show = await CliRunner.RunAsync(_dir.Path, "approvals", "show", id);
        Assert.Contains("john@example.com", show.Out);
        var deny = await CliRunner.RunAsync(_dir.Path, "approvals", "deny", id);
        Assert.Equal(2, deny.ExitCode);
        var approve = await CliRunner.RunAsync(_dir.Path, "approvals", "approve", id[..6], "--reason", "checked", "--by", "carol");
        Assert.Equal(0, approve.ExitCode);
        Assert.Contains($"approved {id} (send_email); continue the run with: cadre resume {runId}", approve.Out);
        var again = await CliRunner.RunAsync(_dir.Path, "approvals", "deny", id, "--reason", "too late");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already approved by carol", again.Error);

        var resumed = await CliRunner.RunAsync(_dir.Path, "resume", runId);

        Assert.True(resumed.ExitCode == 0, resumed.Out + resumed.Error);
        Assert.Single(Directory.GetFiles(Outbox, "*.eml"));
        var decided = await CliRunner.RunAsync(_dir.Path, "approvals", "list", "--all", "--json");
        var after = Assert.Single(JsonNode.Parse(decided.Out)!.AsArray())!.AsObject();
        Assert.Equal(("approved", "carol", "checked"), ((string?)after["status"], (string?)after["decidedBy"], (string?)after["reason"]));
        Assert.Contains("No pending approval requests", (await CliRunner.RunAsync(_dir.Path, "approvals", "list")).Out);
    }
}
