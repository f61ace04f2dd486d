using Cadre.Cli.Hosting;
using Cadre.Models;
using Cadre.Specs;
using Cadre.Workspaces;

namespace Cadre.Cli.Commands;

/// <summary>Turns what goes wrong in a command into a clear message and an exit code, never a stack trace
/// (set <c>CADRE_DEBUG=1</c> to see one).</summary>
internal static class CommandGuard
{
    /// <summary>Runs a command's body and turns what it throws into a line on standard error and an exit code.</summary>
    /// <param name="context">Where the command runs: its standard error gets the message, and <c>CADRE_DEBUG=1</c> there adds the stack trace.</param>
    /// <param name="body">The body, returning its exit code.</param>
    /// <returns>The body's code; 2 for a bad spec, model or usage; 1 for a workspace error, cancellation or anything else.</returns>
    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (Exception ex) when (ex is SpecException or ModelSpecException or UsageException)
        {
            await context.Error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.BadUsage;
        }
        catch (WorkspaceException ex)
        {
            await context.Error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("cancelled.");
            return ExitCodes.Failed;
        }
#pragma warning disable CA1031 // The command line reports every failure as a message and an exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await context.Error.WriteLineAsync("error: " + ex.Message);
            if (context.GetEnvironmentVariable("CADRE_DEBUG") is "1" or "true")
            {
                await context.Error.WriteLineAsync(ex.ToString());
            }

            return ExitCodes.Failed;
        }
    }
}
