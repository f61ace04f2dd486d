using System.Text;
using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Workspaces;
using Microsoft.AspNetCore.Http;

namespace Cadre.Dashboard.Pages;

/// <summary>Memory of one scope (a tenant, or tenant/team/agent): hybrid search with scores and provenance, facts
/// with their validity in time, episodes and their lessons, the blackboard and its audit trail. Every read goes
/// through the scope, so one tenant's page never shows another's memory.</summary>
internal static class MemoryPage
{
    public static async Task<string> RenderAsync(DashboardContext context, IQueryCollection query, CancellationToken cancellationToken)
    {
        var scopeText = query["scope"].ToString().Trim();
        var search = query["q"].ToString().Trim();
        var body = new StringBuilder("<h1>Memory</h1><form class=\"filters\" method=\"get\" action=\"/memory\">")
            .Append("<input type=\"text\" name=\"scope\" placeholder=\"tenant[/team[/agent]]\" value=\"").Append(Html.E(scopeText)).Append("\">")
            .Append("<input type=\"search\" name=\"q\" placeholder=\"Search this scope\" size=\"40\" value=\"").Append(Html.E(search)).Append("\"><button type=\"submit\">Show</button></form>");
        if (scopeText.Length == 0)
        {
            body.Append("<p class=\"muted\">Memory is kept per scope: type a tenant (<code>acme</code>) or a path (<code>acme/support/billing</code>).</p>");
            return Html.Page("Memory", "/memory", body.ToString(), context.WorkspaceName);
        }

        MemoryScope scope;
        try
        {
            scope = MemoryScope.Parse(scopeText);
        }
        catch (ArgumentException ex)
        {
            body.Append("<p class=\"error\">").Append(Html.E(ex.Message)).Append("</p>");
            return Html.Page("Memory", "/memory", body.ToString(), context.WorkspaceName);
        }

        var memory = context.Workspace.Memory.WithTime(context.Time);
        body.Append("<div class=\"scope\" data-scope=\"").Append(Html.E(scope.ToString())).Append("\">");
        await LongTermAsync(body, memory, scope, search, cancellationToken);
        await FactsAsync(body, memory, scope, cancellationToken);
        await EpisodesAsync(body, memory, scope, cancellationToken);
        await BlackboardAsync(body, memory, scope, cancellationToken);
        body.Append("</div>");
        return Html.Page("Memory " + scope, "/memory", body.ToString(), context.WorkspaceName);
    }

    private static async Task LongTermAsync(StringBuilder body, WorkspaceMemory memory, MemoryScope scope, string search, CancellationToken cancellationToken)
    {
        body.Append("<h2>Long-term memory</h2>");
        if (search.Length > 0)
        {
            var recalled = await memory.LongTerm.RecallAsync(new MemoryQuery { Text = search, Scope = scope, K = 20 }, cancellationToken);
            body.Append("<p class=\"muted\">hybrid search (keywords ∪ vectors, fused)</p>");
            if (recalled.Count == 0)
            {
                body.Append("<p class=\"muted\">Nothing in this scope matches.</p>");
                return;
            }

            body.Append("<table class=\"memories\"><thead><tr><th>Memory</th><th class=\"num\">Score</th><th>Matched</th><th>Scope</th><th>Provenance</th><th>Created (UTC)</th></tr></thead><tbody>");
            foreach (var hit in recalled)
            {
                var matched = string.Join(" + ", new[] { hit.KeywordRank is { } k ? $"keyword #{k}" : null, hit.VectorRank is { } v ? $"vector #{v}" : null }.OfType<string>());
                Row(body, hit.Record, hit.Score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), matched);
            }

            body.Append("</tbody></table>");
            return;
        }

        var records = await memory.LongTerm.ListAsync(scope, null, 50, 0, cancellationToken);
        if (records.Count == 0)
        {
            body.Append("<p class=\"muted\">No memories in this scope.</p>");
            return;
        }

        body.Append("<table class=\"memories\"><thead><tr><th>Memory</th><th class=\"num\">Importance</th><th></th><th>Scope</th><th>Provenance</th><th>Created (UTC)</th></tr></thead><tbody>");
        foreach (var record in records)
        {
            Row(body, record, record.Importance.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), "");
        }

        body.Append("</tbody></table>");
    }

    private static void Row(StringBuilder body, MemoryRecord record, string score, string matched) =>
        body.Append("<tr data-memory=\"").Append(Html.E(record.Id)).Append("\"><td>").Append(Html.E(record.Text)).Append("</td><td class=\"num\">").Append(score).Append("</td><td>")
            .Append(Html.E(matched)).Append("</td><td>").Append(Html.E(record.Scope.ToString())).Append("</td><td>").Append(Html.E(record.Source?.ToString() ?? "")).Append("</td><td>")
            .Append(Html.Time(record.CreatedAt)).Append("</td></tr>");

    private static async Task FactsAsync(StringBuilder body, WorkspaceMemory memory, MemoryScope scope, CancellationToken cancellationToken)
    {
        var facts = await memory.Stores.Knowledge.FactsAsync(new FactQuery { Scope = scope, IncludeHistory = true, Limit = 200 }, cancellationToken);
        body.Append("<h2>Facts</h2>");
        if (facts.Count == 0)
        {
            body.Append("<p class=\"muted\">No facts in this scope.</p>");
            return;
        }

        body.Append("<table class=\"facts\"><thead><tr><th>Subject</th><th>Relation</th><th>Object</th><th>Valid from</th><th>Valid to</th><th>Provenance</th></tr></thead><tbody>");
        foreach (var fact in facts)
        {
            body.Append("<tr").Append(fact.IsCurrent ? "" : " class=\"muted\"").Append("><td>").Append(Html.E(fact.Subject)).Append("</td><td>").Append(Html.E(fact.Relation)).Append("</td><td>")
                .Append(Html.E(fact.Object)).Append("</td><td>").Append(Html.Time(fact.ValidFrom)).Append("</td><td>").Append(fact.ValidTo is null ? "now" : Html.Time(fact.ValidTo))
                .Append("</td><td>").Append(Html.E(fact.Source?.ToString() ?? "")).Append("</td></tr>");
        }

        body.Append("</tbody></table>");
    }

    private static async Task EpisodesAsync(StringBuilder body, WorkspaceMemory memory, MemoryScope scope, CancellationToken cancellationToken)
    {
        var episodes = await memory.Episodes.ListAsync(scope, 50, cancellationToken);
        body.Append("<h2>Episodes and lessons</h2>");
        if (episodes.Count == 0)
        {
            body.Append("<p class=\"muted\">No episodes in this scope.</p>");
            return;
        }

        body.Append("<table class=\"episodes\"><thead><tr><th>Episode</th><th>Task</th><th>Outcome</th><th>Agents</th><th>Lessons</th><th>Started (UTC)</th></tr></thead><tbody>");
        foreach (var episode in episodes)
        {
            body.Append("<tr><td><a href=\"/runs/").Append(Uri.EscapeDataString(episode.Id)).Append("\">").Append(Html.E(episode.Id)).Append("</a></td><td>").Append(Html.E(episode.Task))
                .Append("</td><td>").Append(Html.Status(episode.Outcome.ToString().ToLowerInvariant())).Append("</td><td>").Append(Html.E(string.Join(" → ", episode.Agents))).Append("</td><td><ul>");
            foreach (var lesson in episode.Lessons)
            {
                body.Append("<li>").Append(Html.E(lesson)).Append("</li>");
            }

            body.Append("</ul></td><td>").Append(Html.Time(episode.StartedAt)).Append("</td></tr>");
        }

        body.Append("</tbody></table>");
    }

    private static async Task BlackboardAsync(StringBuilder body, WorkspaceMemory memory, MemoryScope scope, CancellationToken cancellationToken)
    {
        var board = scope.ToString();
        var entries = await memory.Stores.Blackboard.ListAsync(board, null, null, cancellationToken);
        body.Append("<h2>Blackboard</h2>");
        if (entries.Count == 0)
        {
            body.Append("<p class=\"muted\">Nothing on this scope's blackboard.</p>");
            return;
        }

        body.Append("<table class=\"blackboard\"><thead><tr><th>Namespace</th><th>Key</th><th>Value</th><th class=\"num\">Version</th><th>Updated by</th><th>At (UTC)</th></tr></thead><tbody>");
        foreach (var entry in entries)
        {
            body.Append("<tr><td>").Append(Html.E(entry.Namespace)).Append("</td><td>").Append(Html.E(entry.Key)).Append("</td><td>").Append(Html.Json(entry.Json)).Append("</td><td class=\"num\">")
                .Append(entry.Version).Append("</td><td>").Append(Html.E(entry.UpdatedBy)).Append("</td><td>").Append(Html.Time(entry.UpdatedAt)).Append("</td></tr>");
        }

        body.Append("</tbody></table><h3>Audit trail</h3><table class=\"blackboard-audit\"><thead><tr><th>#</th><th>Namespace/key</th><th class=\"num\">Version</th><th>Actor</th><th>Old</th><th>New</th><th>At (UTC)</th></tr></thead><tbody>");
        foreach (var change in await memory.Stores.Blackboard.AuditAsync(board, null, null, 100, cancellationToken))
        {
            body.Append("<tr><td>").Append(change.Sequence).Append("</td><td>").Append(Html.E($"{change.Namespace}/{change.Key}")).Append("</td><td class=\"num\">").Append(change.Version)
                .Append("</td><td>").Append(Html.E(change.Actor)).Append("</td><td>").Append(Html.Json(change.OldJson)).Append("</td><td>").Append(Html.Json(change.NewJson)).Append("</td><td>")
                .Append(Html.Time(change.At)).Append("</td></tr>");
        }

        body.Append("</tbody></table>");
    }
}
