using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Cli.Hosting;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre runs list</c> and <c>cadre runs show &lt;id&gt;</c>.</summary>
internal static class RunsCommand
{
    /// <summary><c>cadre runs</c>: <c>list</c> the workspace's runs, newest first, and <c>show</c> one in full.</summary>
    public static Command Create(CliContext context)
    {
        var workspace = CommonOptions.Workspace();
        var listJson = CommonOptions.Json("Print the runs as a JSON array.");
        var limit = new Option<int>("--limit") { Description = "Show at most this many runs (newest first).", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List the runs of the workspace, newest first.") { workspace, limit, listJson };
        list.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(workspace)!, cancellationToken);
            var runs = await store.Runs.ListRunsAsync(parse.GetValue(limit), cancellationToken);
            if (parse.GetValue(listJson))
            {
                context.Out.WriteLine(new JsonArray(runs.Select(r => (JsonNode?)RunReport.Summary(r)).ToArray()).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (runs.Count == 0)
            {
                context.Out.WriteLine("No runs yet. Start one with: cadre run <spec> \"<task>\"");
                return ExitCodes.Done;
            }

            TextTable.Write(context.Out, ["RUN", "STATUS", "WORKFLOW", "STARTED (UTC)", "STEPS", "TOKENS", "TASK"], runs.Select(run => new[]
            {
                run.Id,
                RunReport.Status(run.Status),
                run.Workflow,
                run.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                run.Steps.ToString(CultureInfo.InvariantCulture),
                run.Usage.TotalTokens.ToString("N0", CultureInfo.InvariantCulture),
                LiveView.Shorten(run.Task, 60),
            }));
            return ExitCodes.Done;
        }));

        var runId = new Argument<string>("run-id") { Description = "The run's id (or a unique prefix of it)." };
        var showWorkspace = CommonOptions.Workspace();
        var showJson = CommonOptions.Json("Print the run, its status and every step as one JSON object.");
        var show = new Command("show", "Show a run: its status, every step, tool call and handoff, and the answer.") { runId, showWorkspace, showJson };
        show.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(showWorkspace)!, cancellationToken);
            var id = parse.GetValue(runId)!;
            var run = await RunLookup.FindAsync(store.Runs, id, cancellationToken);
            var steps = await store.Runs.GetStepsAsync(run.Id, cancellationToken);
            var checkpoint = await store.Runs.GetCheckpointAsync(run.Id, cancellationToken);
            if (parse.GetValue(showJson))
            {
                var json = RunReport.ToJson(run, steps);
                RunReport.AddCheckpoint(json, checkpoint);
                context.Out.WriteLine(json.ToJsonString(JsonOutput.Options));
            }
            else
            {
                var console = context.CreateConsole();
                RunView.WriteDetails(console, run, steps);
                RunView.WriteCheckpoint(console, checkpoint);
            }

            return ExitCodes.Done;
        }));

        return new Command("runs", "Inspect the runs recorded in the workspace.") { list, show };
    }
}
