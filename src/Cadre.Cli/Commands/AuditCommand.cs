using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Cli.Hosting;
using Cadre.Tools;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre audit [--run &lt;id&gt;] [--tool &lt;name&gt;] [--limit &lt;n&gt;] [--json]</c>: every governed tool call,
/// oldest first, with what happened to it (executed, replayed, denied, failed, ...) and how many times the tool's code
/// really ran.</summary>
internal static class AuditCommand
{
    /// <summary><c>cadre audit</c>: the workspace's audit log of tool calls in the order written (the latest <c>--limit</c>), filtered by run or tool.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = new Option<string?>("--run") { Description = "Only this run's calls (its id or a unique prefix)." };
        var tool = new Option<string?>("--tool") { Description = "Only calls of this tool." };
        var limit = new Option<int>("--limit") { Description = "At most this many entries, the newest (default 1000).", DefaultValueFactory = _ => 1000 };
        var workspace = CommonOptions.Workspace();
        var json = CommonOptions.Json("Print the entries as a JSON array.");
        var command = new Command("audit", "Show the audit log of tool calls: run, step, agent, tool, outcome (executed, replayed, denied, failed, ...), executions, time.")
        {
            run, tool, limit, workspace, json,
        };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            if (parse.GetValue(limit) <= 0)
            {
                throw new UsageException("--limit must be a positive number.");
            }

            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(workspace)!, cancellationToken);
            var runId = parse.GetValue(run) is { } id ? (await RunLookup.FindAsync(store.Runs, id, cancellationToken)).Id : null;
            var entries = await store.Audit.QueryAsync(new AuditQuery { RunId = runId, Tool = parse.GetValue(tool), Limit = parse.GetValue(limit) }, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(new JsonArray(entries.Select(e => (JsonNode?)ToJson(e)).ToArray()).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (entries.Count == 0)
            {
                context.Out.WriteLine("No tool calls match.");
                return ExitCodes.Done;
            }

            TextTable.Write(context.Out, ["AT (UTC)", "RUN", "STEP", "AGENT", "TOOL", "OUTCOME", "RAN", "DETAIL"], entries.Select(e => (IReadOnlyList<string>)
            [
                e.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                e.RunId,
                e.Step.ToString(CultureInfo.InvariantCulture),
                e.Agent,
                e.Tool,
                Word(e.Outcome),
                e.Executions.ToString(CultureInfo.InvariantCulture),
                LiveView.Shorten(e.Detail ?? "", 60),
            ]));
            return ExitCodes.Done;
        }));
        return command;
    }

    /// <summary>An outcome as the command line writes it: <c>executed</c>, <c>outcome-unknown</c>, ...</summary>
    /// <returns>Lowercase; <c>outcome-unknown</c> for the one outcome of two words.</returns>
    public static string Word(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.OutcomeUnknown => "outcome-unknown",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private static JsonObject ToJson(AuditEntry entry) => new()
    {
        ["at"] = entry.At.ToString("O", CultureInfo.InvariantCulture),
        ["run"] = entry.RunId,
        ["step"] = entry.Step,
        ["agent"] = entry.Agent,
        ["tool"] = entry.Tool,
        ["outcome"] = Word(entry.Outcome),
        ["executions"] = entry.Executions,
        ["status"] = entry.Status.ToString().ToLowerInvariant(),
        ["key"] = entry.Key,
        ["arguments"] = entry.Arguments,
        ["detail"] = entry.Detail,
        ["durationMs"] = Math.Round(entry.Duration.TotalMilliseconds, 3),
    };
}
