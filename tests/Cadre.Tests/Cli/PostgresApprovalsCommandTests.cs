using System.Text.Json.Nodes;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

/// <summary><c>cadre approvals</c> on a PostgreSQL workspace (the one a cluster of hosts shares): a person decides a
/// waiting call from another folder than the run's, and the run sends the email once when it continues.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresApprovalsCommandTests(PostgresServer server) : IDisposable
{
    private readonly TempDirectory _host = new();
    private readonly TempDirectory _operator = new();

    public void Dispose()
    {
        _host.Dispose();
        _operator.Dispose();
    }

    [Fact(Timeout = 300_000)]
    public async Task A_call_waiting_in_a_postgres_workspace_is_listed_and_approved_from_another_folder()
    {
        var workspace = await server.CreateDatabaseAsync();
        var run = await CliRunner.RunAsync(_host.Path, "run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--wait-for-approval", "--workspace", workspace);
        Assert.Equal(1, run.ExitCode);
        var runId = run.Lines[0].Split(' ')[1];

        var list = await CliRunner.RunAsync(_operator.Path, "approvals", "list", "--json", "--workspace", workspace);
        Assert.True(list.ExitCode == 0, list.Error);
        var request = Assert.Single(JsonNode.Parse(list.Out)!.AsArray())!.AsObject();
        Assert.Equal(("pending", "send_email", runId), ((string?)request["status"], (string?)request["tool"], (string?)request["runId"]));
        var approve = await CliRunner.RunAsync(_operator.Path, "approvals", "approve", (string)request["id"]!, "--by", "carol", "--workspace", workspace);
        Assert.True(approve.ExitCode == 0, approve.Error);

        var resumed = await CliRunner.RunAsync(_host.Path, "resume", runId, "--workspace", workspace);

        Assert.True(resumed.ExitCode == 0, resumed.Out + resumed.Error);
        Assert.Single(Directory.GetFiles(_host.Combine(".cadre", "support-desk", "outbox"), "*.eml"));
        var decided = await CliRunner.RunAsync(_operator.Path, "approvals", "list", "--all", "--json", "--workspace", workspace);
        Assert.Equal("approved", (string?)Assert.Single(JsonNode.Parse(decided.Out)!.AsArray())!["status"]);
    }
}
