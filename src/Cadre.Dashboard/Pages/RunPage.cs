using System.Text;
using Cadre.Hosting;
using Cadre.Runs;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Dashboard.Pages;

/// <summary>One run: its outcome, the handoff chain, every step with its messages and tool calls (arguments and
/// results), its approvals, dead letters and audit entries (retries, denials, fallbacks); it updates live while the
/// run goes on.</summary>
internal static class RunPage
{
    public static async Task<string?> RenderAsync(DashboardContext context, string runId, CancellationToken cancellationToken)
    {
        var detail = await DetailAsync(context, runId, cancellationToken);
        if (detail is null)
        {
            return null;
        }

        var body = $"<h1>Run {Html.E(runId)}</h1><div id=\"run\" data-live=\"/live/run/{Uri.EscapeDataString(runId)}\">{detail}</div>";
        return Html.Page("Run " + runId, "/runs", body, context.WorkspaceName);
    }

    /// <summary>Everything below the title: what the live stream sends.</summary>
    public static async Task<string?> DetailAsync(DashboardContext context, string runId, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var run = await workspace.Runs.GetRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var steps = await workspace.Runs.GetStepsAsync(run.Id, cancellationToken);
        var checkpoint = await workspace.Runs.GetCheckpointAsync(run.Id, cancellationToken);
        var approvals = await workspace.Approvals.ListAsync(null, run.Id, 100, cancellationToken);
        var letters = (await workspace.DeadLetters.ListAsync(null, 1000, cancellationToken)).Where(l => l.RunId == run.Id).ToList();
        var audit = await workspace.Audit.QueryAsync(new AuditQuery { RunId = run.Id, Limit = 500 }, cancellationToken);
        var html = new StringBuilder("<div class=\"card\"><p>").Append(Html.Status(RunReport.Status(run.Status)))
            .Append(" <span class=\"muted\">").Append(Html.E(run.Workflow)).Append(" · started ").Append(Html.Time(run.StartedAt))
            .Append(run.EndedAt is { } ended ? " · ended " + Html.Time(ended) : "")
            .Append(" · ").Append(run.Steps).Append(run.Steps == 1 ? " step · " : " steps · ").Append(Html.Number(run.Usage.TotalTokens)).Append(" tokens (")
            .Append(Html.Number(run.Usage.InputTokens)).Append(" in / ").Append(Html.Number(run.Usage.OutputTokens)).Append(" out)");
        if (context.CostOf(run) is { Length: > 0 } cost)
        {
            html.Append(" · cost ").Append(cost);
        }

        if (RunReport.WorstLevel(steps) is { } level)
        {
            html.Append(" · level ").Append(Html.E(level.ToString()));
        }

        html.Append("</span></p><p><strong>Task</strong> ").Append(Html.E(run.Task)).Append("</p>");
        var chain = RunReport.Chain(steps);
        if (chain.Length > 0)
        {
            html.Append("<p><strong>Handoffs</strong> <span class=\"chain\">").Append(Html.E(chain)).Append("</span></p>");
        }

        if (run.Error is { Length: > 0 } error)
        {
            html.Append("<p class=\"error\"><strong>").Append(run.Status == RunStatus.WaitingForApproval ? "Waiting" : "Error").Append("</strong> ").Append(Html.E(error)).Append("</p>");
        }

        if (run.Answer is { Length: > 0 } answer)
        {
            html.Append("<p><strong>Answer</strong></p><div class=\"message assistant answer\">").Append(Html.E(answer)).Append("</div>");
        }

        html.Append("</div>");
        if (approvals.Count > 0)
        {
            html.Append("<h2>Approvals</h2>").Append(ApprovalsPage.Cards(context, approvals, withForms: false));
        }

        if (letters.Count > 0)
        {
            html.Append("<h2>Dead letters</h2>").Append(DeadLettersPage.Table(letters, antiforgery: null));
        }

        if (checkpoint?.State is { } state && (state.PendingToolCalls.Count > 0 || state.Escalation is not null))
        {
            html.Append("<h2>Checkpoint</h2><div class=\"card\">");
            foreach (var pending in state.PendingToolCalls)
            {
                html.Append("<p>interrupted during ").Append(Html.E(pending.Tool)).Append(" (").Append(Html.E(pending.Key)).Append(")</p>").Append(Html.Json(pending.Arguments));
            }

            if (state.Escalation is { } escalation)
            {
                html.Append("<p class=\"error\">escalated").Append(escalation.Critical ? " (critical)" : "").Append(": ").Append(Html.E(escalation.Reason)).Append("</p>");
            }

            html.Append("</div>");
        }

        html.Append("<h2>Steps</h2>");
        if (steps.Count == 0)
        {
            html.Append("<p class=\"muted\">No step is committed yet.</p>");
        }

        foreach (var step in steps)
        {
            html.Append("<div class=\"card step\" data-step=\"").Append(step.Index).Append("\"><h3>").Append(step.Index).Append(" · ").Append(Html.E(step.Agent))
                .Append(" <span class=\"muted\">").Append(Html.Duration(step.Duration)).Append(" · ").Append(Html.Number(step.Usage.TotalTokens)).Append(" tokens")
                .Append(step.Level is { } served ? " · " + Html.E(served.ToString()) : "").Append("</span></h3>");
            if (step.Error is { Length: > 0 } stepError)
            {
                html.Append("<p class=\"error\">").Append(Html.E(stepError)).Append("</p>");
            }

            foreach (var message in step.Messages)
            {
                Message(html, message);
            }

            if (step.ToolCalls.Count > 0)
            {
                html.Append("<table class=\"calls\"><thead><tr><th>Tool</th><th>Status</th><th>Arguments</th><th>Result</th><th class=\"num\">Time</th></tr></thead><tbody>");
                foreach (var call in step.ToolCalls)
                {
                    html.Append("<tr data-tool=\"").Append(Html.E(call.Tool)).Append("\"><td>").Append(Html.E(call.Tool)).Append("</td><td>").Append(Html.Status(call.Status)).Append("</td><td>")
                        .Append(Html.Json(call.Arguments)).Append("</td><td>").Append(Html.Json(call.Result)).Append("</td><td class=\"num\">").Append(Html.Duration(call.Duration)).Append("</td></tr>");
                }

                html.Append("</tbody></table>");
            }

            if (step.Handoff is { } handoff)
            {
                html.Append("<p>⇢ handed to <strong>").Append(Html.E(handoff.To)).Append("</strong>: ").Append(Html.E(handoff.Note)).Append("</p>");
            }

            html.Append("</div>");
        }

        if (audit.Count > 0)
        {
            html.Append("<h2>Audit</h2>").Append(ToolsPage.AuditTable(audit));
        }

        return html.ToString();
    }

    private static void Message(StringBuilder html, ChatMessage message)
    {
        var role = message.Role.Value;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    html.Append("<div class=\"message ").Append(Html.E(role)).Append("\"><span class=\"muted\">").Append(Html.E(message.AuthorName ?? role)).Append(":</span> ")
                        .Append(Html.E(text.Text)).Append("</div>");
                    break;
                case FunctionCallContent call:
                    html.Append("<div class=\"message assistant\"><span class=\"muted\">").Append(Html.E(message.AuthorName ?? role)).Append(" calls</span> ")
                        .Append(Html.E(call.Name)).Append("</div>");
                    break;
                case FunctionResultContent result:
                    html.Append("<div class=\"message tool\"><span class=\"muted\">result of ").Append(Html.E(result.CallId)).Append(":</span> ")
                        .Append(Html.E(RunsPage.Shorten(result.Result?.ToString() ?? "", 400))).Append("</div>");
                    break;
            }
        }
    }
}
