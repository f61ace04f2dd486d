using System.Text;
using Cadre.Runs;
using Cadre.Tools;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Cadre.Dashboard.Pages;

/// <summary>Tool calls waiting for a person: each with its arguments highlighted, approved or denied with a reason;
/// the run then continues by itself.</summary>
internal static class ApprovalsPage
{
    public static async Task<string> RenderAsync(DashboardContext context, HttpContext http, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var pending = await context.Workspace.Approvals.ListAsync(ApprovalStatus.Pending, null, 200, cancellationToken);
        var decided = (await context.Workspace.Approvals.ListAsync(null, null, 50, cancellationToken)).Where(r => r.Status != ApprovalStatus.Pending).ToList();
        var body = new StringBuilder("<h1>Approvals</h1>");
        if (http.Request.Query["done"].ToString() is { Length: > 0 } done)
        {
            body.Append("<div class=\"notice\">").Append(Html.E(done)).Append("</div>");
        }

        foreach (var notice in context.Notices)
        {
            body.Append("<div class=\"notice\">").Append(Html.E(notice)).Append("</div>");
        }

        var token = antiforgery.GetAndStoreTokens(http).RequestToken;
        body.Append("<h2>Waiting</h2>").Append(pending.Count == 0 ? "<p class=\"muted\">No call is waiting for approval.</p>" : Cards(context, pending, withForms: true, token));
        if (decided.Count > 0)
        {
            body.Append("<h2>Decided lately</h2>").Append(Cards(context, decided, withForms: false));
        }

        return Html.Page("Approvals", "/approvals", body.ToString(), context.WorkspaceName);
    }

    public static string Cards(DashboardContext context, IEnumerable<ApprovalRequest> requests, bool withForms, string? antiforgery = null)
    {
        var html = new StringBuilder();
        foreach (var request in requests)
        {
            var word = request.Status.ToString().ToLowerInvariant();
            html.Append("<div class=\"card approval\" data-approval=\"").Append(Html.E(request.Id)).Append("\"><p>").Append(Html.Status(word)).Append(" <strong>")
                .Append(Html.E(request.Tool)).Append("</strong> by ").Append(Html.E(request.Agent)).Append(" · run <a href=\"/runs/").Append(Uri.EscapeDataString(request.RunId)).Append("\">")
                .Append(Html.E(request.RunId)).Append("</a> step ").Append(request.Step).Append(" · <span class=\"muted\">").Append(Html.E(request.Id)).Append(" · asked ")
                .Append(Html.Time(request.RequestedAt)).Append("</span></p><div class=\"arguments\">").Append(Html.Json(request.Arguments)).Append("</div>");
            if (request.Status != ApprovalStatus.Pending)
            {
                html.Append("<p>").Append(word).Append(" by <strong>").Append(Html.E(request.DecidedBy)).Append("</strong> at ").Append(Html.Time(request.DecidedAt))
                    .Append(request.Reason is { } why ? ": " + Html.E(why) : "").Append("</p>");
            }
            else if (withForms)
            {
                html.Append("<form class=\"inline\" method=\"post\" action=\"/approvals/").Append(Uri.EscapeDataString(request.Id)).Append("\">")
                    .Append("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"").Append(Html.E(antiforgery)).Append("\">")
                    .Append("<input type=\"text\" name=\"reason\" placeholder=\"Reason (needed to deny)\" size=\"40\">")
                    .Append("<input type=\"text\" name=\"by\" value=\"").Append(Html.E(context.Options.Operator)).Append("\" size=\"12\" title=\"Who decides\">")
                    .Append("<button class=\"approve\" name=\"decision\" value=\"approve\">Approve</button><button class=\"deny\" name=\"decision\" value=\"deny\">Deny</button></form>");
            }
            else
            {
                html.Append("<p><a href=\"/approvals\">decide on the approvals page</a></p>");
            }

            html.Append("</div>");
        }

        return html.ToString();
    }

    /// <summary>Decides a request from the page's form; when the run has nothing else waiting it continues in the
    /// background.</summary>
    public static async Task<IResult> DecideAsync(DashboardContext context, string id, IFormCollection form, CancellationToken cancellationToken)
    {
        var decision = form["decision"].ToString();
        if (decision is not ("approve" or "deny"))
        {
            return Results.BadRequest("decision must be approve or deny.");
        }

        var by = form["by"].ToString().Trim();
        var who = by.Length > 0 ? by : context.Options.Operator;
        ApprovalRequest decided;
        try
        {
            decided = await ApprovalQueue.ApproveOrDenyAsync(context.Workspace.Approvals, context.Workspace.Audit, id, decision == "approve", who,
                form["reason"].ToString(), context.Time.GetUtcNow(), cancellationToken);
        }
        catch (KeyNotFoundException ex)
        {
            return Results.NotFound(ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return Results.Text(Html.Page("Approvals", "/approvals", $"<h1>Approvals</h1><p class=\"error\">{Html.E(ex.Message)}</p><p><a href=\"/approvals\">back</a></p>", context.WorkspaceName),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var run = await context.Workspace.Runs.GetRunAsync(decided.RunId, cancellationToken);
        var stillWaiting = await context.Workspace.Approvals.ListAsync(ApprovalStatus.Pending, decided.RunId, 1, cancellationToken);
        var note = $"{(decided.Status == ApprovalStatus.Approved ? "Approved" : "Denied")} {decided.Tool} ({decided.Id}).";
        if (run?.Status == RunStatus.WaitingForApproval && stillWaiting.Count == 0 && !run.Metadata.ContainsKey("spec"))
        {
            // Started from code, not from a spec: only its program knows how to build it again.
            note += $" Run {run.Id} continues when the program that started it resumes it.";
        }
        else if (run?.Status == RunStatus.WaitingForApproval && stillWaiting.Count == 0)
        {
            context.Continue($"resuming run {run.Id}", ct => context.Host.ResumeAsync(new Cadre.Hosting.RunHost.Settings("", context.WorkspaceLocation), run.Id, ct));
            note += $" Run {run.Id} continues.";
        }

        return Results.Redirect("/approvals" + Html.Query(("done", note)));
    }
}
