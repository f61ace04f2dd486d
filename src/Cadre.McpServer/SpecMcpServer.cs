using Cadre.Hosting;
using Cadre.Models;
using Cadre.Specs;
using Cadre.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cadre.McpServer;

/// <summary>
/// A spec's tools — and, when asked, its agents — as an MCP server: <c>cadre mcp serve</c> runs it over stdio or
/// HTTP, and a host can serve it from its own code. Tools load as <c>cadre run</c> loads them (assembly or project, MCP
/// servers, chains, the approval policy or the host's approver), and every call goes through the spec's governed
/// invoker as agent <c>mcp:&lt;client&gt;</c>, audited in the workspace.
/// </summary>
public sealed class SpecMcpServer : IAsyncDisposable
{
    private readonly SqliteWorkspace _workspace;
    private readonly ToolHost _tools;
    private readonly AgentSystem? _system;

    private SpecMcpServer(SystemSpec spec, SqliteWorkspace workspace, ToolHost tools, AgentSystem? system, CadreHostOptions host)
    {
        Spec = spec;
        _workspace = workspace;
        _tools = tools;
        _system = system;
        var served = tools.Registry.Tools;
        var offered = new List<McpServerTool>();
        offered.AddRange(served.Select(t => new GovernedMcpTool(t, served, tools.Invoker, workspace, host.Time)));
        offered.AddRange((system?.Agents ?? []).Select(a => new AgentMcpTool(a, workspace, host.Time)));
        Tools = offered;
    }

    /// <summary>The loaded spec whose tools (and agents) are served; the server calls itself <c>cadre:&lt;its name&gt;</c>.</summary>
    public SystemSpec Spec { get; }

    /// <summary>The MCP tools: one per spec tool, then one per agent when agents are served.</summary>
    public IReadOnlyList<McpServerTool> Tools { get; }

    /// <summary>Loads the spec, its tools and (when asked) its agents.</summary>
    /// <param name="settings">The spec, the workspace folder, and whether agents are served and with which model.</param>
    /// <param name="host">The host's folder, environment, clock, logger and approver.</param>
    /// <param name="cancellationToken">Cancels loading; MCP servers started and the workspace opened so far are closed, and the call throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The server, ready to serve.</returns>
    /// <exception cref="SpecException">The spec cannot be loaded.</exception>
    public static async Task<SpecMcpServer> OpenAsync(McpServeSettings settings, CadreHostOptions host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        var spec = SpecLoader.Load(host.FullPath(settings.Spec));
        var workspace = await SqliteWorkspace.OpenAsync(host.FullPath(settings.Workspace), cancellationToken);
        ToolHost? tools = null;
        try
        {
            tools = await ToolHost.LoadAsync(spec, workspace.Directory, host, cancellationToken);
            var system = settings.Agents
                ? AgentSystem.Build(spec, new AgentSystemOptions
                {
                    Model = settings.Model,
                    Tools = tools.Registry.Tools.Where(t => spec.Chains.All(c => c.Chain.Name != t.Name)).ToList(),
                    ToolInvoker = tools.Invoker,
                    Memory = workspace.Memory.WithTime(host.Time),
                    ModelOptions = HostedModels.AddTo(new ModelOptions
                    {
                        BaseDirectory = settings.Model is null ? spec.Directory : host.CurrentDirectory,
                        GetEnvironmentVariable = host.GetEnvironmentVariable,
                        Time = host.Time,
                    }, null, null),
                })
                : null;
            return new SpecMcpServer(spec, workspace, tools, system, host);
        }
        catch
        {
            if (tools is not null)
            {
                await tools.DisposeAsync();
            }

            await workspace.DisposeAsync();
            throw;
        }
    }

    /// <summary>Serves one client over a pair of streams (a process's standard input and output) until it leaves.</summary>
    /// <param name="input">What the client writes.</param>
    /// <param name="output">What the client reads.</param>
    /// <param name="cancellationToken">Stops serving; the transport is closed either way when the task ends.</param>
    /// <returns>A task that ends when the client disconnects or serving is cancelled.</returns>
    public async Task ServeStreamsAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var options = Options();
        await using var transport = new StreamServerTransport(input, output, Spec.Name, loggerFactory: null);
        await using var server = ModelContextProtocol.Server.McpServer.Create(transport, options);
        await server.RunAsync(cancellationToken);
    }

    /// <summary>Serves MCP's streamable HTTP transport on 127.0.0.1 (at <c>/mcp</c>) until cancelled.</summary>
    /// <param name="port">The port (0 for any free one).</param>
    /// <param name="started">Told the endpoint's address once it listens.</param>
    /// <param name="cancellationToken">Stops serving: once listening, the web host is stopped and the task completes without throwing.</param>
    /// <returns>A task that ends when serving stops.</returns>
    public async Task ServeHttpAsync(int port, Action<Uri>? started, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer(o =>
            {
                o.ServerInfo = Options().ServerInfo;
            })
            .WithHttpTransport()
            .WithTools(Tools);
        await using var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        started?.Invoke(new Uri(address.TrimEnd('/') + "/mcp"));
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop.
        }

        await app.StopAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _system?.Dispose();
        await _tools.DisposeAsync();
        await _workspace.DisposeAsync();
    }

    private McpServerOptions Options()
    {
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "cadre:" + Spec.Name, Version = typeof(SpecMcpServer).Assembly.GetName().Version?.ToString() ?? "0" },
            ToolCollection = [],
        };
        foreach (var tool in Tools)
        {
            options.ToolCollection.Add(tool);
        }

        return options;
    }
}
