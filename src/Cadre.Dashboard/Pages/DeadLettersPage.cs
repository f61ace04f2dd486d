using System.Text;
using Cadre.Resilience;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Cadre.Dashboard.Pages;

/// <summary>The dead-letter queue: reason and attempts of each task that exhausted its retries, to retry (the run
/// resumes from its checkpoint) or discard.</summary>
internal static class DeadLettersPage
{
    public static async Task<string> RenderAsync(DashboardContext context, HttpContext http, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var all = http.Request.Query["all"] == "1";
        var letters = await context.Workspace.DeadLetters.ListAsync(all ? null : DeadLetterStatus.Pending, 500, cancellationToken);
        var body = new StringBuilder("<h1>Dead letters</h1>");
        if (http.Request.Query["done"].ToString() is { Length: > 0 } done)
        {
            body.Append("<div class=\"notice\">").Append(Html.E(done)).Append("</div>");
        }

        foreach (var notice in context.Notices)
        {
            body.Append("<div class=\"notice\">").Append(Html.E(notice)).Append("</div>");
        }

        body.Append("<p><a href=\"/dead-letters").Append(all ? "" : "?all=1").Append("\">").Append(all ? "pending only" : "show retried and discarded too").Append("</a></p>");
        body.Append(letters.Count == 0 ? "<p class=\"muted\">The dead-letter queue is empty.</p>" : Table(letters, antiforgery.GetAndStoreTokens(http).RequestToken));
        return Html.Page("Dead letters", "/dead-letters", body.ToString(), context.WorkspaceName);
    }

    public static string Table(IEnumerable<DeadLetter> letters, string? antiforgery)
    {
        var html = new StringBuilder("<table class=\"letters\"><thead><tr><th>Dead letter</th><th>Status</th><th>Run</th><th>Reason</th><th>Attempts</th><th>Created (UTC)</th>")
            .Append(antiforgery is null ? "" : "<th></th>").Append("</tr></thead><tbody>");
        foreach (var letter in letters)
        {
            html.Append("<tr data-letter=\"").Append(Html.E(letter.Id)).Append("\"><td>").Append(Html.E(letter.Id)).Append("</td><td>").Append(Html.Status(letter.Status.ToString().ToLowerInvariant()))
                .Append("</td><td><a href=\"/runs/").Append(Uri.EscapeDataString(letter.RunId)).Append("\">").Append(Html.E(letter.RunId)).Append("</a> step ").Append(letter.Step)
                .Append(letter.Agent is null ? "" : " · " + Html.E(letter.Agent)).Append("</td><td>").Append(Html.E(letter.Error)).Append(" <span class=\"muted\">(").Append(Html.E(letter.ErrorType)).Append(")</span>")
                .Append(letter.Resolution is { } resolution ? "<br><span class=\"muted\">" + Html.E(resolution) + "</span>" : "").Append("</td><td><ul>");
            foreach (var attempt in letter.Attempts)
            {
                html.Append("<li>").Append(Html.E(attempt.Level is null ? attempt.Provider : $"{attempt.Level} ({attempt.Provider})")).Append(attempt.Attempt > 0 ? $" #{attempt.Attempt}" : "")
                    .Append(": ").Append(Html.E(attempt.Error)).Append("</li>");
            }

            html.Append("</ul></td><td>").Append(Html.Time(letter.CreatedAt)).Append("</td>");
            if (antiforgery is not null)
            {
                html.Append("<td>");
                if (letter.Status == DeadLetterStatus.Pending)
                {
                    html.Append("<form class=\"inline\" method=\"post\" action=\"/dead-letters/").Append(Uri.EscapeDataString(letter.Id)).Append("\">")
                        .Append("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"").Append(Html.E(antiforgery)).Append("\">")
                        .Append("<input type=\"text\" name=\"reason\" placeholder=\"Why discard\" size=\"16\">")
                        .Append("<button class=\"retry\" name=\"action\" value=\"retry\">Retry</button><button class=\"discard\" name=\"action\" value=\"discard\">Discard</button></form>");
                }

                html.Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    public static async Task<IResult> ActAsync(DashboardContext context, string id, IFormCollection form, CancellationToken cancellationToken)
    {
        var letter = await context.Workspace.DeadLetters.GetAsync(id, cancellationToken);
        if (letter is null)
        {
            return Results.NotFound($"No dead letter matches '{id}'.");
        }

        if (letter.Status != DeadLetterStatus.Pending)
        {
            return Results.BadRequest($"Dead letter {letter.Id} was already {letter.Status.ToString().ToLowerInvariant()} ({letter.Resolution}).");
        }

        switch (form["action"].ToString())
        {
            case "retry":
                context.Continue($"retrying dead letter {letter.Id}", ct => context.Host.RetryDeadLetterAsync(new Cadre.Hosting.RunHost.Settings("", context.WorkspaceLocation), letter.Id, ct));
                return Results.Redirect("/runs/" + Uri.EscapeDataString(letter.RunId));
            case "discard":
                var why = form["reason"].ToString().Trim();
                await context.Workspace.DeadLetters.ResolveAsync(letter.Id, DeadLetterStatus.Discarded, "discarded" + (why.Length == 0 ? "" : ": " + why), context.Time.GetUtcNow(), cancellationToken);
                return Results.Redirect("/dead-letters" + Html.Query(("done", $"Discarded {letter.Id}.")));
            default:
                return Results.BadRequest("action must be retry or discard.");
        }
    }
}
