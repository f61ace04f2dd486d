using System.CommandLine;
using Cadre.Cli.Hosting;
using Cadre.Dashboard;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre dashboard [--workspace] [--port 5170] [--address 127.0.0.1] [--spec]</c>: the workspace in a
/// browser.</summary>
internal static class DashboardCommand
{
    /// <summary><c>cadre dashboard</c>: serves the workspace to a browser on <c>--address</c> (127.0.0.1) and <c>--port</c> (5170) until cancelled.</summary>
    public static Command Create(CliContext context)
    {
        var workspace = CommonOptions.Workspace();
        var port = new Option<int>("--port") { Description = "The port to listen on (0 picks a free one).", DefaultValueFactory = _ => 5170 };
        var address = new Option<string>("--address") { Description = "The address to listen on; only this machine by default.", DefaultValueFactory = _ => "127.0.0.1" };
        var spec = new Option<string?>("--spec") { Description = "The spec whose tools the tools page lists (the newest run's by default)." };
        var command = new Command("dashboard", "Open the workspace in a browser: runs live, approvals to decide, dead letters, memory, tools and the audit log.")
        {
            workspace, port, address, spec,
        };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            DashboardServer server;
            try
            {
                server = await DashboardServer.StartAsync(new DashboardOptions
                {
                    Workspace = parse.GetValue(workspace)!,
                    Port = parse.GetValue(port),
                    Address = parse.GetValue(address)!,
                    Spec = parse.GetValue(spec),
                    CurrentDirectory = context.CurrentDirectory,
                    Time = context.Time,
                }, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or FormatException)
            {
                throw new UsageException($"The dashboard cannot listen on {parse.GetValue(address)}:{parse.GetValue(port)}: {ex.Message} Choose another with --port.", ex);
            }

            await using (server)
            {
                context.Out.WriteLine($"dashboard for {WorkspaceLocation.Describe(context.HostOptions(), parse.GetValue(workspace)!)} at {server.Address}");
                context.Out.WriteLine($"open: {server.SignInUrl}");
                context.Out.WriteLine("(the link works once; Ctrl+C stops the dashboard)");
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.Time, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
            }

            return ExitCodes.Done;
        }));
        return command;
    }
}
