using System.Text;
using Cadre.Hosting;
using Cadre.Runs;
using Microsoft.AspNetCore.Http;

namespace Cadre.Dashboard.Pages;

/// <summary>The runs: status, agents, steps, tokens, level; filtered by status, searched by id or task, a page at a
/// time; the table updates live.</summary>
internal static class RunsPage
{
    public static async Task<string> RenderAsync(DashboardContext context, IQueryCollection query, CancellationToken cancellationToken)
    {
        var filter = RunFilter.From(query);
        var table = await TableAsync(context, filter, cancellationToken);
        var body = new StringBuilder("<h1>Runs</h1>");
        foreach (var notice in context.Notices)
        {
            body.Append("<div class=\"notice\">").Append(Html.E(notice)).Append("</div>");
        }

        body.Append("<form class=\"filters\" method=\"get\" action=\"/runs\"><input type=\"search\" name=\"q\" placeholder=\"Search id or task\" value=\"")
            .Append(Html.E(filter.Search)).Append("\"><select name=\"status\"><option value=\"\">any status</option>");
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            var word = RunReport.Status(status);
            body.Append("<option value=\"").Append(word).Append('"').Append(word == filter.Status ? " selected" : "").Append('>').Append(word).Append("</option>");
        }

        body.Append("</select><button type=\"submit\">Filter</button></form>")
            .Append("<div id=\"runs\" data-live=\"/live/runs").Append(Html.E(filter.ToQuery())).Append("\">").Append(table).Append("</div>");
        return Html.Page("Runs", "/runs", body.ToString(), context.WorkspaceName);
    }

    /// <summary>The table alone: what the live stream sends.</summary>
    public static async Task<string> TableAsync(DashboardContext context, RunFilter filter, CancellationToken cancellationToken)
    {
        var page = await RunList.PageAsync(context.Workspace, filter, context.Options.PageSize, cancellationToken);
        var html = new StringBuilder();
        if (page.Total == 0)
        {
            return filter.IsEmpty
                ? "<p class=\"muted\">No runs yet. Start one with: cadre run &lt;spec&gt; \"&lt;task&gt;\"</p>"
                : "<p class=\"muted\">No run matches.</p>";
        }

        html.Append("<table><thead><tr><th>Run</th><th>Status</th><th>Task</th><th>Agents</th><th class=\"num\">Steps</th><th class=\"num\">Tokens</th><th class=\"num\">Cost</th><th>Level</th><th>Started (UTC)</th></tr></thead><tbody>");
        foreach (var row in page.Rows)
        {
            var run = row.Run;
            html.Append("<tr data-run=\"").Append(Html.E(run.Id)).Append("\"><td><a href=\"/runs/").Append(Uri.EscapeDataString(run.Id)).Append("\">").Append(Html.E(run.Id)).Append("</a></td><td>")
                .Append(Html.Status(RunReport.Status(run.Status))).Append("</td><td>").Append(Html.E(Shorten(run.Task, 90))).Append("</td><td>")
                .Append(Html.E(row.Agents)).Append("</td><td class=\"num\">").Append(run.Steps).Append("</td><td class=\"num\">").Append(Html.Number(run.Usage.TotalTokens))
                .Append("</td><td class=\"num\">").Append(context.CostOf(run)).Append("</td><td>").Append(Html.E(row.Level)).Append("</td><td>").Append(Html.Time(run.StartedAt)).Append("</td></tr>");
        }

        html.Append("</tbody></table><div class=\"pager\">");
        if (filter.Page > 1)
        {
            html.Append("<a href=\"/runs").Append(Html.E((filter with { Page = filter.Page - 1 }).ToQuery())).Append("\">← newer</a>");
        }

        html.Append("<span class=\"muted\">page ").Append(filter.Page).Append(" of ").Append(page.Pages).Append(" · ").Append(Html.Number(page.Total)).Append(" runs</span>");
        if (filter.Page < page.Pages)
        {
            html.Append("<a href=\"/runs").Append(Html.E((filter with { Page = filter.Page + 1 }).ToQuery())).Append("\">older →</a>");
        }

        return html.Append("</div>").ToString();
    }

    public static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
