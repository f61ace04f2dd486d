using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Cli.Hosting;
using Cadre.Tools;
using Cadre.Workspaces;
using Spectre.Console;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre approvals list|show|approve|deny</c>: tool calls waiting for a person.</summary>
internal static class ApprovalsCommand
{
    /// <summary><c>cadre approvals</c>: <c>list</c>, <c>show</c>, <c>approve</c> and <c>deny</c> the tool calls waiting for a person.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("approvals", "Tool calls waiting for a person to approve or deny them (runs started with --wait-for-approval).")
        {
            List(context),
            Show(context),
            Decide(context, approve: true),
            Decide(context, approve: false),
        };
    }

    /// <summary>An approval request as JSON (the dashboard's and <c>--json</c>'s shape).</summary>
    /// <returns>A new object; times in ISO 8601 (<c>o</c>), the arguments as the JSON text they were recorded in.</returns>
    public static JsonObject ToJson(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new JsonObject
        {
            ["id"] = request.Id,
            ["status"] = Status(request.Status),
            ["runId"] = request.RunId,
            ["step"] = request.Step,
            ["agent"] = request.Agent,
            ["tool"] = request.Tool,
            ["arguments"] = request.Arguments,
            ["key"] = request.Key,
            ["requestedAt"] = request.RequestedAt.ToString("o", CultureInfo.InvariantCulture),
            ["decidedBy"] = request.DecidedBy,
            ["reason"] = request.Reason,
            ["decidedAt"] = request.DecidedAt?.ToString("o", CultureInfo.InvariantCulture),
        };
    }

    private static Command List(CliContext context)
    {
        var workspace = CommonOptions.Workspace();
        var all = new Option<bool>("--all") { Description = "Include requests already approved or denied." };
        var json = CommonOptions.Json("Print the requests as a JSON array.");
        var command = new Command("list", "List approval requests, newest first (pending ones unless --all).") { workspace, all, json };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(workspace)!, cancellationToken);
            var requests = await store.Approvals.ListAsync(parse.GetValue(all) ? null : ApprovalStatus.Pending, null, 1000, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(new JsonArray(requests.Select(r => (JsonNode?)ToJson(r)).ToArray()).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (requests.Count == 0)
            {
                context.Out.WriteLine(parse.GetValue(all) ? "No approval requests." : "No pending approval requests (see all with: cadre approvals list --all).");
                return ExitCodes.Done;
            }

            TextTable.Write(context.Out, ["APPROVAL", "STATUS", "RUN", "AGENT", "TOOL", "ARGUMENTS"], requests.Select(r => new[]
            {
                r.Id, Status(r.Status), r.RunId, r.Agent, r.Tool, LiveView.Shorten(r.Arguments, 60),
            }));
            return ExitCodes.Done;
        }));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The request's id (or a unique prefix)." };
        var workspace = CommonOptions.Workspace();
        var json = CommonOptions.Json("Print the request as one JSON object.");
        var command = new Command("show", "Show an approval request: the call, its arguments, and the decision if made.") { id, workspace, json };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(workspace)!, cancellationToken);
            var request = await FindAsync(store, parse.GetValue(id)!, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(ToJson(request).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            var console = context.CreateConsole();
            console.MarkupLine($"[bold]approval {Markup.Escape(request.Id)}[/] · {Status(request.Status)} · run {Markup.Escape(request.RunId)} step {request.Step} · {Markup.Escape(request.Agent)}");
            console.MarkupLine($"[grey]tool:[/] {Markup.Escape(request.Tool)}");
            console.MarkupLine($"[grey]arguments:[/] {Markup.Escape(request.Arguments)}");
            console.MarkupLine($"[grey]requested:[/] {request.RequestedAt:yyyy-MM-dd HH:mm:ss}Z");
            if (request.Status == ApprovalStatus.Pending)
            {
                console.MarkupLine($"[grey]decide with:[/] cadre approvals approve {Markup.Escape(request.Id)}   [grey]or:[/] cadre approvals deny {Markup.Escape(request.Id)} --reason \"...\"");
            }
            else
            {
                console.MarkupLine($"[grey]{Status(request.Status)} by[/] {Markup.Escape(request.DecidedBy ?? "")} [grey]at[/] {request.DecidedAt:yyyy-MM-dd HH:mm:ss}Z{(request.Reason is { } why ? ": " + Markup.Escape(why) : "")}");
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    private static Command Decide(CliContext context, bool approve)
    {
        var id = new Argument<string>("id") { Description = "The request's id (or a unique prefix)." };
        var reason = new Option<string?>("--reason") { Description = approve ? "Why it is approved (kept in the audit log)." : "Why it is denied: the model is told, and the audit log keeps it.", Required = !approve };
        var by = new Option<string?>("--by") { Description = "Who decides (the user's name by default)." };
        var workspace = CommonOptions.Workspace();
        var command = new Command(approve ? "approve" : "deny",
            approve ? "Approve a waiting call; it runs once when its run continues (cadre resume <run-id>)." : "Deny a waiting call; the model is told why when its run continues (cadre resume <run-id>).")
        {
            id, reason, by, workspace,
        };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(workspace)!, cancellationToken);
            var request = await FindAsync(store, parse.GetValue(id)!, cancellationToken);
            ApprovalRequest decided;
            try
            {
                decided = await ApprovalQueue.ApproveOrDenyAsync(store.Approvals, store.Audit, request.Id, approve, parse.GetValue(by) ?? Environment.UserName,
                    parse.GetValue(reason), context.Time.GetUtcNow(), cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                throw new UsageException(ex.Message, ex);
            }

            context.Out.WriteLine($"{Status(decided.Status)} {decided.Id} ({decided.Tool}); continue the run with: cadre resume {decided.RunId}");
            return ExitCodes.Done;
        }));
        return command;
    }

    private static async Task<ApprovalRequest> FindAsync(IWorkspace store, string id, CancellationToken cancellationToken) =>
        await store.Approvals.GetAsync(id, cancellationToken)
            ?? throw new UsageException($"No approval request matches '{id}' (see: cadre approvals list --all).");

    private static string Status(ApprovalStatus status) => status.ToString().ToLowerInvariant();
}
