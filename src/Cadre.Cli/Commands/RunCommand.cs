using System.CommandLine;
using Cadre.Cli.Hosting;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre run &lt;spec|folder&gt; "&lt;task&gt;" [--model] [--workspace] [--record] [--json] [--chaos &lt;rate&gt;
/// [--seed &lt;n&gt;]] [--chaos-latency &lt;ms&gt;] [--max-tokens] [--max-cost] [--max-time]</c>.</summary>
internal static class RunCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">Where it runs.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file, or a folder holding cadre.yaml." };
        var task = new Argument<string>("task") { Description = "The task for the agents, in quotes." };
        var model = CommonOptions.Model();
        var workspace = CommonOptions.Workspace();
        var waitForApproval = CommonOptions.WaitForApproval();
        var json = CommonOptions.Json("Print the run as one JSON object instead of the live view.");
        var record = new Option<string?>("--record") { Description = "Record every model call into this cassette file (replay it with --model replay:<file>)." };
        var command = new Command("run", "Run a multi-agent workflow on a task, with a live view, a checkpoint after every step and a transcript.")
        {
            spec, task, model, workspace, record, waitForApproval, json,
        };
        var reliability = new ReliabilityOptions().AddChaosTo(command).AddBudgetTo(command);
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, () =>
            new ConsoleRun(context).RunAsync(
                new RunHost.Settings(parse.GetValue(spec)!, parse.GetValue(workspace)!, parse.GetValue(model), parse.GetValue(record),
                    reliability.Chaos(parse), reliability.Budget(parse)) { WaitForApproval = parse.GetValue(waitForApproval) },
                parse.GetValue(json),
                parse.GetValue(task)!,
                cancellationToken)));
        return command;
    }
}
