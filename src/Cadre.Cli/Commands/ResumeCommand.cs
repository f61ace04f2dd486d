using System.CommandLine;
using Cadre.Cli.Hosting;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre resume &lt;run-id&gt; [--spec] [--model] [--workspace] [--json] [--wait] [--repeat-unknown] [--wait-for-approval]
/// [--max-tokens] [--max-cost] [--max-time]</c>.</summary>
internal static class ResumeCommand
{
    /// <summary><c>cadre resume</c>: continues a run from its last completed step, with the spec and model it recorded unless given others.</summary>
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("run-id") { Description = "The run's id (or a unique prefix of it)." };
        var spec = new Option<string?>("--spec") { Description = "The spec to resume with; the one the run was started with by default." };
        var model = CommonOptions.Model();
        var workspace = CommonOptions.Workspace();
        var waitForApproval = CommonOptions.WaitForApproval();
        var json = CommonOptions.Json("Print the run as one JSON object instead of the live view.");
        var wait = new Option<bool>("--wait") { Description = "If another process is running the run, wait until it stops (or its lease lapses) instead of refusing." };
        var repeatUnknown = new Option<bool>("--repeat-unknown")
        {
            Description = "Make side-effecting calls whose outcome is unknown (the process making them died) again under their keys, even for tools not declared idempotent. Use it after checking they did not happen.",
        };
        var command = new Command("resume", "Continue a crashed, killed or cancelled run from its last completed step. A run that is running in another process is refused (exit 1) unless --wait.")
        {
            runId, spec, model, workspace, waitForApproval, json, wait, repeatUnknown,
        };
        var reliability = new ReliabilityOptions().AddBudgetTo(command);
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, () =>
            new ConsoleRun(context).ResumeAsync(
                new RunHost.Settings(parse.GetValue(spec) ?? "", parse.GetValue(workspace)!, parse.GetValue(model), null, null, reliability.Budget(parse))
                {
                    WaitForApproval = parse.GetValue(waitForApproval),
                    Wait = parse.GetValue(wait),
                    RepeatUnknown = parse.GetValue(repeatUnknown),
                },
                parse.GetValue(json),
                parse.GetValue(runId)!,
                cancellationToken)));
        return command;
    }
}
