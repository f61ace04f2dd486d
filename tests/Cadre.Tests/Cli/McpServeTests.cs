using Cadre.Hosting;
using Cadre.McpServer;
using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Tools;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Cadre.Tests.Cli;

/// <summary><c>cadre mcp serve</c>: the support desk's tools for an MCP client (the SDK's own), over stdio from a real
/// child process and over HTTP on 127.0.0.1; calls are governed and audited as <c>mcp:&lt;client&gt;</c>.</summary>
public sealed class McpServeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static McpClientOptions Client(string name) => new() { ClientInfo = new Implementation { Name = name, Version = "1.0" } };

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    [Fact]
    public async Task Over_stdio_a_client_lists_and_calls_the_spec_s_tools_and_the_policy_denies_what_it_must()
    {
        var workspace = _dir.Combine("ws");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "cadre",
            Command = dotnet,
            Arguments = [CliProcess.CliAssembly, "mcp", "serve", "--spec", RepoPaths.SupportDesk, "--workspace", workspace],
            WorkingDirectory = _dir.Path,
        });

        await using (var client = await McpClient.CreateAsync(transport, Client("desk-test")))
        {
            var tools = await client.ListToolsAsync();
            Assert.Superset(new HashSet<string> { "search_customer", "lookup_invoice", "create_ticket", "send_email" }, tools.Select(t => t.Name).ToHashSet());

            var found = await client.CallToolAsync("search_customer", new Dictionary<string, object?> { ["query"] = "john@example.com" });
            Assert.NotEqual(true, found.IsError);
            Assert.Contains("john@example.com", Text(found), StringComparison.Ordinal);

            // approvals.yaml: mail outside example.com is denied (and escalated) — for an MCP client as for an agent.
            var mail = await client.CallToolAsync("send_email", new Dictionary<string, object?> { ["to"] = new[] { "eve@evil.test" }, ["subject"] = "hi", ["body"] = "hello" });
            Assert.True(mail.IsError);

            var bad = await client.CallToolAsync("lookup_invoice", new Dictionary<string, object?> { ["nope"] = 1 });
            Assert.True(bad.IsError);
            Assert.Contains("invoiceId", Text(bad), StringComparison.Ordinal);
        }

        await using var opened = await SqliteWorkspace.OpenAsync(workspace);
        var audit = await opened.Audit.QueryAsync(new AuditQuery { Agent = "mcp:desk-test" });
        Assert.Contains(audit, e => e is { Tool: "search_customer", Status: ToolCallStatus.Succeeded });
        Assert.Contains(audit, e => e is { Tool: "send_email", Status: ToolCallStatus.Denied });
        Assert.Contains(audit, e => e is { Tool: "lookup_invoice", Status: ToolCallStatus.InvalidArguments });
    }

    [Fact]
    public async Task Over_HTTP_a_host_serves_the_tools_and_each_agent_as_a_tool()
    {
        var script = _dir.Combine("script.json");
        await File.WriteAllTextAsync(script, """[{ "text": "Routed to billing: John was charged twice." }]""");
        await using var server = await SpecMcpServer.OpenAsync(
            new McpServeSettings(RepoPaths.SupportDesk, _dir.Combine("ws"), Agents: true, Model: "scripted:" + script),
            new CadreHostOptions { CurrentDirectory = _dir.Path },
            CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = server.ServeHttpAsync(0, listening.SetResult, stop.Token);
        var endpoint = await listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("127.0.0.1", endpoint.Host);

        await using (var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }), Client("http-test")))
        {
            var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
            Assert.Contains("lookup_invoice", tools);
            Assert.Contains("agent_triage", tools);

            var invoice = await client.CallToolAsync("lookup_invoice", new Dictionary<string, object?> { ["invoiceId"] = "INV-1001" });
            Assert.NotEqual(true, invoice.IsError);
            Assert.Contains("INV-1001", Text(invoice), StringComparison.Ordinal);

            var answer = await client.CallToolAsync("agent_triage", new Dictionary<string, object?> { ["task"] = "john@example.com was charged twice" });
            Assert.Equal("Routed to billing: John was charged twice.", Text(answer));
        }

        await stop.CancelAsync();
        await serving;
    }
}
