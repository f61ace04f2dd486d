using System.CommandLine;
using Cadre.Cli.Hosting;
using Cadre.McpServer;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre mcp serve</c>: a spec's tools (and agents) for MCP clients — Claude Desktop, VS Code, another
/// framework — every call governed and audited as agent <c>mcp:&lt;client&gt;</c>.</summary>
internal static class McpCommand
{
    /// <summary><c>cadre mcp serve</c>: offers a spec's tools, through the governed path, to MCP clients over stdio or HTTP.</summary>
    public static Command Create(CliContext context)
    {
        var spec = new Option<string>("--spec", "-s") { Description = "The spec file or folder whose tools to serve.", Required = true };
        var workspace = CommonOptions.Workspace();
        var http = new Option<int?>("--http") { Description = "Serve streamable HTTP on 127.0.0.1:<port> (at /mcp) instead of stdio; 0 picks a free port." };
        var agents = new Option<bool>("--agents") { Description = "Also offer each agent as a tool (agent_<name>) that takes a task." };
        var model = CommonOptions.Model();
        var serve = new Command("serve", "Serve the spec's tools over MCP (stdio, or HTTP with --http); calls take the governed path: policy, approvals, limits, audit.")
        {
            spec, workspace, http, agents, model,
        };
        serve.SetAction((parse, ct) => CommandGuard.RunAsync(context, async () =>
        {
            var settings = new McpServeSettings(parse.GetValue(spec)!, parse.GetValue(workspace)!, parse.GetValue(agents), parse.GetValue(model));
            await using var server = await SpecMcpServer.OpenAsync(settings, context.HostOptions(), ct);
            if (parse.GetValue(http) is { } port)
            {
                if (port is < 0 or > 65535)
                {
                    throw new UsageException($"--http takes a port from 0 to 65535, not {port}.");
                }

                await server.ServeHttpAsync(port, uri => context.Out.WriteLine($"serving {server.Tools.Count} tools of {server.Spec.Name} over MCP at {uri}"), ct);
                return ExitCodes.Done;
            }

            // Standard output is the protocol's: notes go to standard error.
            await context.Error.WriteLineAsync($"serving {server.Tools.Count} tools of {server.Spec.Name} over MCP on stdio");
            await using var input = Console.OpenStandardInput();
            await using var output = Console.OpenStandardOutput();
            await server.ServeStreamsAsync(input, output, ct);
            return ExitCodes.Done;
        }));
        return new Command("mcp", "Model Context Protocol: offer the spec's governed tools to MCP clients.") { serve };
    }
}
