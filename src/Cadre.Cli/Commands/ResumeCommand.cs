using System.CommandLine;
using Cadre.Cli.Hosting;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre resume &lt;run-id&gt; [--spec] [--model] [--workspace] [--json] [--max-tokens] [--max-cost]
/// [--max-time]</c>.</summary>
internal static class ResumeCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">Where it runs.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("run-id") { Description = "The run's id (or a unique prefix of it)." };
        var spec = new Option<string?>("--spec") { Description = "The spec to resume with; the one the run was started with by default." };
        var model = CommonOptions.Model();
        var workspace = CommonOptions.Workspace();
        var waitForApproval = CommonOptions.WaitForApproval();
        var json = CommonOptions.Json("Print the run as one JSON object instead of the live view.");
        var command = new Command("resume", "Continue a crashed, killed or cancelled run from its last completed step.")
        {
            runId, spec, model, workspace, waitForApproval, json,
        };
        var reliability = new ReliabilityOptions().AddBudgetTo(command);
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, () =>
            new ConsoleRun(context).ResumeAsync(
                new RunHost.Settings(parse.GetValue(spec) ?? "", parse.GetValue(workspace)!, parse.GetValue(model), null, null, reliability.Budget(parse)) { WaitForApproval = parse.GetValue(waitForApproval) },
                parse.GetValue(json),
                parse.GetValue(runId)!,
                cancellationToken)));
        return command;
    }
}
