using System.Collections.Concurrent;
using System.Text;
using Cadre.Hosting;
using Cadre.Specs;
using Cadre.Tools;
using Microsoft.AspNetCore.Http;

namespace Cadre.Dashboard.Pages;

/// <summary>The tools of the spec (the one given, else the newest run's) with their governance — category, side
/// effects, approval, limits, timeout, cache — and the audit log of every governed call.</summary>
internal static class ToolsPage
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Registries = new(StringComparer.Ordinal);

    public static async Task<string> RenderAsync(DashboardContext context, IQueryCollection query, CancellationToken cancellationToken)
    {
        var tool = query["tool"].ToString().Trim();
        var run = query["run"].ToString().Trim();
        var body = new StringBuilder("<h1>Tools</h1>");
        var spec = context.Options.Spec is { } given ? Path.GetFullPath(given, context.Options.CurrentDirectory)
            : await context.Workspace.Runs.ListRunsAsync(1, cancellationToken) is [var newest, ..] ? newest.Metadata.GetValueOrDefault("spec") : null;
        body.Append("<h2>Registry</h2>");
        if (spec is null)
        {
            body.Append("<p class=\"muted\">No spec yet: start cadre dashboard with --spec &lt;folder&gt;, or run one.</p>");
        }
        else
        {
            // Loading builds the tools project and starts MCP servers: done once per spec, in the background of the first visit.
            var registry = Registries.GetOrAdd(spec, path => new Lazy<Task<string>>(() => RegistryAsync(context, path)));
            try
            {
                body.Append(await registry.Value.WaitAsync(cancellationToken));
            }
#pragma warning disable CA1031 // A spec that cannot load is reported on the page; the audit log below still shows.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Registries.TryRemove(spec, out _);
                body.Append("<p class=\"error\">").Append(Html.E($"{spec}: {ex.Message}")).Append("</p>");
            }
        }

        body.Append("<h2>Audit log</h2><form class=\"filters\" method=\"get\" action=\"/tools\"><input type=\"text\" name=\"tool\" placeholder=\"tool\" value=\"").Append(Html.E(tool))
            .Append("\"><input type=\"text\" name=\"run\" placeholder=\"run id\" value=\"").Append(Html.E(run)).Append("\"><button type=\"submit\">Filter</button></form>");
        var entries = await context.Workspace.Audit.QueryAsync(new AuditQuery { Tool = tool.Length == 0 ? null : tool, RunId = run.Length == 0 ? null : run, Limit = 200 }, cancellationToken);
        body.Append(entries.Count == 0 ? "<p class=\"muted\">No governed tool call is recorded.</p>" : AuditTable(entries));
        return Html.Page("Tools", "/tools", body.ToString(), context.WorkspaceName);
    }

    public static string AuditTable(IEnumerable<AuditEntry> entries)
    {
        var html = new StringBuilder("<table class=\"audit\"><thead><tr><th>At (UTC)</th><th>Run</th><th>Agent</th><th>Tool</th><th>Status</th><th>Detail</th><th>Arguments</th></tr></thead><tbody>");
        foreach (var entry in entries)
        {
            html.Append("<tr><td>").Append(Html.Time(entry.At)).Append("</td><td>").Append(Html.E(entry.RunId)).Append(entry.Step > 0 ? $" #{entry.Step}" : "").Append("</td><td>")
                .Append(Html.E(entry.Agent)).Append("</td><td>").Append(Html.E(entry.Tool)).Append("</td><td>").Append(Html.Status(entry.Status)).Append("</td><td class=\"detail\">")
                .Append(Html.E(entry.Detail)).Append("</td><td>").Append(Html.Json(entry.Arguments)).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    private static async Task<string> RegistryAsync(DashboardContext context, string specPath)
    {
        var spec = SpecLoader.Load(specPath);
        await using var tools = await ToolHost.LoadAsync(spec, context.WorkspaceFolder, new CadreHostOptions { CurrentDirectory = context.Options.CurrentDirectory, Logger = context.Logger }, CancellationToken.None);
        var html = new StringBuilder("<p class=\"muted\">").Append(Html.E(spec.Name)).Append(" · ").Append(Html.E(tools.Approvals)).Append("</p>")
            .Append("<table class=\"registry\"><thead><tr><th>Tool</th><th>Category</th><th>Side effects</th><th>Approval</th><th>Limits</th><th>Timeout</th><th>Cache</th><th>Description</th></tr></thead><tbody>");
        foreach (var tool in tools.Registry.Tools.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var d = ToolDescriptor.Of(tool);
            var limits = string.Join("; ", new[] { d.RateLimit?.ToString(), d.RateLimitPerAgent is { } each ? $"{each} per agent" : null, d.Exclusive ? "one at a time" : null }.OfType<string>());
            html.Append("<tr><td>").Append(Html.E(tool.Name)).Append("</td><td>").Append(Html.E(d.Category)).Append("</td><td>").Append(Html.E(d.SideEffects.ToString())).Append("</td><td>")
                .Append(d.RequiresApproval ? "required" : "").Append("</td><td>").Append(Html.E(limits)).Append("</td><td>").Append(d.Timeout is { } t ? Html.Duration(t) : "")
                .Append("</td><td>").Append(d.CacheTtl is { } ttl ? Html.Duration(ttl) : "").Append("</td><td>").Append(Html.E(tool.Description)).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
