using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Tools.Mcp;

namespace Cadre.Tests.Security;

/// <summary>An MCP server gets only what it needs: a minimal environment plus what the spec names, approval before
/// destructive tools, policy rules that reach its tools, and an audit log without the secrets it was handed.</summary>
public sealed class McpIsolationTests : IDisposable
{
    // A secret of the host process that no server was given. Set on this process, as a real host's key would be.
    private const string HostSecretName = "CADRE_SECURITY_TEST_API_KEY";
    private const string HostSecret = "sk-host-secret-5f2c9a17";
    private const string HandedSecret = "tok-handed-secret-81d0e4";
    private readonly TempDirectory _dir = new();

    public McpIsolationTests()
    {
        Environment.SetEnvironmentVariable(HostSecretName, HostSecret);
    }

    public void Dispose() => _dir.Dispose();

    private static string Command => $"dotnet \"{RepoPaths.McpTestServer}\"";

    private static string ServerPath => RepoPaths.McpTestServer.Replace("\\", "/", StringComparison.Ordinal);

    private static async Task<string> ReadEnv(McpToolServer server, string name)
    {
        var invoker = new GovernedToolInvoker();
        return (await invoker.InvokeAsync(ToolCalls.Request("read_env", $$"""{"name":"{{name}}"}""", server.Tools), CancellationToken.None)).Result;
    }

    [Fact]
    public async Task A_stdio_server_gets_a_minimal_environment_without_the_hosts_secrets()
    {
        await using var server = await McpToolServer.ConnectAsync(Command);

        Assert.Equal("(unset)", await ReadEnv(server, HostSecretName));
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), await ReadEnv(server, "PATH"));
    }

    [Fact]
    public async Task A_server_sees_what_it_is_given_and_everything_only_when_it_inherits()
    {
        await using var given = await McpToolServer.ConnectAsync(Command, new McpConnectOptions { Environment = new Dictionary<string, string?> { ["NOTE_TOKEN"] = "given" } });
        await using var inheriting = await McpToolServer.ConnectAsync(Command, new McpConnectOptions { InheritEnvironment = true });

        Assert.Equal("given", await ReadEnv(given, "NOTE_TOKEN"));
        Assert.Equal("(unset)", await ReadEnv(given, HostSecretName));
        Assert.Equal(HostSecret, await ReadEnv(inheriting, HostSecretName));
    }

    [Fact]
    public async Task Destructive_tools_require_approval_unless_the_entry_says_otherwise()
    {
        await using var server = await McpToolServer.ConnectAsync(Command);
        await using var trusted = await McpToolServer.ConnectAsync(Command, new McpConnectOptions { RequiresApproval = false });
        var wiped = await new GovernedToolInvoker().InvokeAsync(ToolCalls.Request("wipe_notes", "{}", server.Tools), CancellationToken.None);

        Assert.Equal(["wipe_notes"], server.Tools.Where(t => ToolDescriptor.Of(t).RequiresApproval).Select(t => t.Name));
        Assert.DoesNotContain(trusted.Tools, t => ToolDescriptor.Of(t).RequiresApproval);
        Assert.Equal(ToolCallStatus.Denied, wiped.Status);
    }

    private void Spec(string entry, string? approvals = null)
    {
        if (approvals is not null)
        {
            _dir.Write("approvals.yaml", approvals);
        }

        _dir.Write("cadre.yaml", $"""
            model: scripted:script.json
            tools:
              mcp:
                - {entry}
            {(approvals is null ? "" : "  approvals: approvals.yaml")}
            agents:
              helper: {"{"} instructions: Help., tools: [cadre-test] {"}"}
            workflow: {"{"} type: sequential {"}"}
            """);
    }

    private Task<CliRunner.Result> Call(string tool, string json) =>
        CliRunner.RunAsync(_dir.Path, new Dictionary<string, string?> { ["HOST_NOTE_TOKEN"] = HandedSecret }, default, "tools", "call", tool, "--args", json);

    [Fact]
    public async Task A_spec_entry_names_the_servers_variables_and_their_values_never_reach_output_or_audit()
    {
        Spec($$"""{ command: dotnet, args: ["{{ServerPath}}"], env: { NOTE_TOKEN: "${HOST_NOTE_TOKEN}" }, timeout: 30s }""");

        var handed = await Call("read_env", """{"name":"NOTE_TOKEN"}""");
        var host = await Call("read_env", $$"""{"name":"{{HostSecretName}}"}""");

        Assert.True(handed.ExitCode == 0, handed.Error);
        Assert.Equal("[redacted]", handed.Out.Trim());
        Assert.Equal("(unset)", host.Out.Trim());
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre"));
        var audit = await workspace.Audit.QueryAsync(new AuditQuery());
        Assert.Equal(2, audit.Count);
        Assert.DoesNotContain(audit, e => (e.Arguments + e.Result + e.Detail).Contains(HandedSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(HandedSecret, File.ReadAllText(_dir.Combine(".cadre", "cadre.db")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_variable_the_host_does_not_have_is_an_error_at_the_entry()
    {
        Spec($$"""{ command: dotnet, args: ["{{ServerPath}}"], env: { NOTE_TOKEN: "${NOT_SET_ANYWHERE_1234}" } }""");

        var result = await Call("echo", """{"text":"x"}""");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cadre.yaml:4:7: the MCP server's variable NOTE_TOKEN names ${NOT_SET_ANYWHERE_1234}, which is not set", result.Error);
    }

    [Fact]
    public async Task A_destructive_mcp_tool_is_denied_without_an_approver_and_decided_by_the_policy_otherwise()
    {
        Spec($$"""{ command: dotnet, args: ["{{ServerPath}}"] }""");
        var unattended = await Call("wipe_notes", "{}");

        Spec($$"""{ command: dotnet, args: ["{{ServerPath}}"] }""", """
            default: deny
            rules:
              - tool: wipe_notes
                decision: approve
              - tool: echo
                decision: deny
                reason: no echoes
              - category: cadre-test
                tool: add
                decision: deny
                reason: no sums
            """);
        var approved = await Call("wipe_notes", "{}");
        var echo = await Call("echo", """{"text":"x"}""");
        var add = await Call("add", """{"a":1,"b":2}""");
        var saved = await Call("save_note", """{"text":"x"}""");

        Assert.True(unattended.ExitCode == 1, unattended.Out + unattended.Error);
        Assert.Contains("denied by no approver", unattended.Error);
        Assert.True(approved.ExitCode == 0, approved.Error);
        Assert.Equal("wiped", approved.Out.Trim());
        Assert.Equal(1, echo.ExitCode);
        Assert.Contains("denied by policy: no echoes", echo.Error);
        Assert.Equal(1, add.ExitCode);
        Assert.Contains("denied by policy: no sums", add.Error);
        Assert.Equal(0, saved.ExitCode); // named by no rule and not destructive: not governed
    }

    [Fact]
    public async Task Requires_approval_false_lets_a_trusted_servers_destructive_tools_run()
    {
        Spec($$"""{ command: dotnet, args: ["{{ServerPath}}"], requires_approval: false }""");

        var result = await Call("wipe_notes", "{}");

        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Theory]
    [InlineData("\"\"", "cadre.yaml:4:7: an MCP server entry is empty")]
    [InlineData("{ args: [x] }", "cadre.yaml:4:7: an MCP server needs 'command:'")]
    [InlineData("{ command: x, inherit: true }", "cadre.yaml:4:21: unknown key 'inherit' in an MCP server. Known keys: command, args, env, inherit_env")]
    [InlineData("{ command: x, requires_approval: maybe }", "cadre.yaml:4:40: 'requires_approval' must be true or false")]
    public async Task A_malformed_entry_is_invalid_with_its_location(string entry, string message)
    {
        Spec(entry);

        var result = await CliRunner.RunAsync(_dir.Path, "tools", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
    }
}
