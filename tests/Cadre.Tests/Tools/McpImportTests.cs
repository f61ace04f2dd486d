using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Tools.Mcp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace Cadre.Tests.Tools;

/// <summary>MCP import against real servers: our test server started as a process over stdio, and one served over
/// HTTP on 127.0.0.1.</summary>
public sealed class McpImportTests
{
    private static string Command => $"dotnet \"{RepoPaths.McpTestServer}\"";

    [Fact]
    public async Task Every_tool_of_a_stdio_server_is_imported_with_descriptors_from_its_annotations()
    {
        Assert.True(File.Exists(RepoPaths.McpTestServer), $"build the solution first: {RepoPaths.McpTestServer} is missing");
        await using var server = await McpToolServer.ConnectAsync(Command);

        Assert.Equal("cadre-test", server.Name);
        Assert.Equal(["echo", "add", "save_note", "wipe_notes", "fail", "read_env"], server.Tools.Select(t => t.Name));
        var d = server.Tools.ToDictionary(t => t.Name, ToolDescriptor.Of);
        Assert.Equal(SideEffects.None, d["echo"].SideEffects);
        Assert.True(d["add"].Idempotent);
        Assert.Equal(SideEffects.Reversible, d["save_note"].SideEffects);
        Assert.Equal(SideEffects.Irreversible, d["wipe_notes"].SideEffects);
        Assert.All(d.Values, x => Assert.Equal(("cadre-test", "mcp"), (x.Category, x.Tags.Single())));
        Assert.Equal("Add two whole numbers.", server.Tools[1].Description);
    }

    [Fact]
    public async Task Imported_tools_are_called_through_the_governed_path()
    {
        await using var server = await McpToolServer.ConnectAsync(Command, new McpConnectOptions { NamePrefix = "test_", Category = "testing" });
        var registry = new ToolRegistry().AddRange(server.Tools);
        var invoker = new GovernedToolInvoker(new GovernedToolOptions { Registry = registry, Permissions = new ToolPermissions().Grant("tester", "testing") });
        Task<ToolCallRecord> Call(string tool, string json) => invoker.InvokeAsync(ToolCalls.Request(tool, json, []), CancellationToken.None);

        var add = await Call("test_add", """{"a":2,"b":40}""");
        var echo = await Call("test_echo", """{"text":"hello"}""");
        var wrong = await Call("test_add", """{"a":"two","b":40}""");
        var failed = await Call("test_fail", """{"message":"disk full"}""");

        Assert.Equal((ToolCallStatus.Succeeded, "42"), (add.Status, add.Result));
        Assert.Equal((ToolCallStatus.Succeeded, "hello"), (echo.Status, echo.Result));
        Assert.Equal(ToolCallStatus.InvalidArguments, wrong.Status);
        Assert.Contains("a: must be an integer, not a string ('two')", wrong.Result);
        Assert.Equal(ToolCallStatus.Failed, failed.Status);
        Assert.StartsWith("Error: 'test_fail' failed: ", failed.Result);
        Assert.EndsWith("disk full", failed.Result);
        Assert.Equal(6, registry.InCategory("testing").Count);
    }

    [Fact]
    public async Task A_server_that_cannot_start_is_reported_with_its_command()
    {
        var error = await Assert.ThrowsAsync<McpImportException>(() => McpToolServer.ConnectAsync("cadre-no-such-mcp-server --flag"));
        Assert.Contains("cadre-no-such-mcp-server --flag", error.Message);
        Assert.Contains("unclosed", Assert.Throws<McpImportException>(() => McpToolServer.SplitCommandLine("dotnet \"server.dll")).Message);
    }

    [Theory]
    [InlineData("npx -y server", new[] { "npx", "-y", "server" })]
    [InlineData("dotnet \"my server.dll\" --name 'a b'", new[] { "dotnet", "my server.dll", "--name", "a b" })]
    [InlineData("  run   \"quote \\\" inside\"  ", new[] { "run", "quote \" inside" })]
    [InlineData("x \"\"", new[] { "x", "" })]
    public void Command_lines_split_like_a_shell_would(string line, string[] parts)
    {
        Assert.Equal(parts, McpToolServer.SplitCommandLine(line));
    }

    [Fact]
    public async Task Every_tool_of_an_http_server_is_imported()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "http-test", Version = "1.0.0" })
            .WithHttpTransport()
            .WithTools([McpServerTool.Create((string city) => $"sunny in {city}", new McpServerToolCreateOptions { Name = "weather", ReadOnly = true })]);
        await using var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/mcp";

        await using var server = await McpToolServer.ConnectAsync(url);
        var record = await new GovernedToolInvoker().InvokeAsync(ToolCalls.Request("weather", """{"city":"Lisbon"}""", server.Tools), CancellationToken.None);

        Assert.Equal("http-test", server.Name);
        Assert.Equal((ToolCallStatus.Succeeded, "sunny in Lisbon"), (record.Status, record.Result));
        await app.StopAsync();
    }

    [Fact]
    public async Task A_server_that_connects_but_never_lists_its_tools_is_given_up_on_and_its_session_closed()
    {
        var listing = new TaskCompletionSource();
        var abandoned = new TaskCompletionSource();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "silent", Version = "1.0.0" })
            .WithHttpTransport()
            .WithListToolsHandler(async (_, cancellationToken) =>
            {
                listing.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                finally
                {
                    abandoned.TrySetResult();
                }

                return new ModelContextProtocol.Protocol.ListToolsResult();
            });
        await using var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/mcp";

        var error = await Assert.ThrowsAsync<McpImportException>(() => McpToolServer.ConnectAsync(url, new McpConnectOptions { ConnectTimeout = TimeSpan.FromSeconds(2) }));

        Assert.True(listing.Task.IsCompleted, "the client never asked for the tools");
        Assert.Contains("did not list its tools within 2 s", error.Message);
        // The client gave up on the request (and closed its session), so the server's handler was cancelled.
        await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await app.StopAsync();
    }
}
