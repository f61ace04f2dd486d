using System.CommandLine;
using Cadre.Cli.Commands;
using Cadre.Cli.Hosting;

namespace Cadre.Cli;

/// <summary>The <c>cadre</c> command: builds the command tree and runs it. Tests call <see cref="RunAsync"/>
/// in-process with their own <see cref="CliContext"/>.</summary>
internal static class CadreApp
{
    /// <summary>Builds the command tree: every <c>cadre</c> command, each bound to <paramref name="context"/>.</summary>
    public static RootCommand CreateRootCommand(CliContext context) => new("cadre — run and inspect multi-agent AI systems.")
    {
        RunCommand.Create(context),
        ResumeCommand.Create(context),
        RunsCommand.Create(context),
        DlqCommand.Create(context),
        WorkspaceCommand.Create(context),
        ApprovalsCommand.Create(context),
        DashboardCommand.Create(context),
        AuditCommand.Create(context),
        ToolsCommand.Create(context),
        McpCommand.Create(context),
        MemoryCommand.Create(context),
        BenchCommand.Create(context),
        ServeCommand.Create(context),
    };

    /// <summary>Parses and runs one command line on <paramref name="context"/>'s streams; a failing command returns its exit code rather than throwing.</summary>
    /// <param name="args">The command line without the program name, as <c>Main</c> gets it.</param>
    /// <param name="context">The output streams, folder, environment and clock the command uses.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C): a run stops with exit code 1 and can be resumed; <c>serve</c>, <c>dashboard</c> and a followed cluster run stop with 0.</param>
    /// <returns>The exit code: 0 done, 1 failed, 2 bad usage.</returns>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        TelemetryExport telemetry;
        try
        {
            telemetry = TelemetryExport.FromEnvironment(context.GetEnvironmentVariable);
        }
        catch (ArgumentException ex)
        {
            await context.Error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.BadUsage;
        }

        using var flushed = telemetry;
        var root = CreateRootCommand(context);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync("error: " + error.Message);
            }

            await context.Error.WriteLineAsync("See: cadre --help");
            return ExitCodes.BadUsage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
