using System.Globalization;
using Cadre.Runs;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>Renders a run for people at a terminal: the outcome, the answer, the handoff chain and a compact or full
/// transcript (the JSON form is <see cref="RunReport"/>).</summary>
internal static class RunView
{
    /// <summary>Writes the end of a run: its outcome, the answer and a compact transcript.</summary>
    public static void WriteSummary(IAnsiConsole console, RunRecord run, IReadOnlyList<RunStep> steps)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        console.WriteLine();
        var chain = RunReport.Chain(steps);
        var usage = $"{run.Usage.TotalTokens:N0} tokens ({run.Usage.InputTokens:N0} in / {run.Usage.OutputTokens:N0} out)";
        var count = $"{steps.Count} step{(steps.Count == 1 ? "" : "s")}";
        var level = RunReport.WorstLevel(steps);
        var outcome = run.Status switch
        {
            RunStatus.Completed when level is { IsDegraded: true } => $"[green]✔ done[/] [yellow](degraded: served at {Markup.Escape(level.Name)})[/] in {count} · {usage}",
            RunStatus.Completed => $"[green]✔ done[/] in {count} · {usage}",
            RunStatus.Cancelled => $"[yellow]■ cancelled[/] after {count} · resume with: cadre resume {run.Id}",
            RunStatus.Stopped => $"[yellow]■ stopped[/] after {count}: {Markup.Escape(run.Error ?? "")} · resume with: cadre resume {run.Id}",
            RunStatus.Escalated => $"[red]! escalated[/] after {count}: {Markup.Escape(run.Error ?? "")} · resume with: cadre resume {run.Id}",
            RunStatus.WaitingForApproval => $"[yellow]? waiting for approval[/] after {count}: {Markup.Escape(run.Error ?? "")} · then: cadre resume {run.Id}",
            RunStatus.DeadLettered => $"[red]✉ dead-lettered[/] after {count}: {Markup.Escape(run.Error ?? "")} · see: cadre dlq list",
            _ => $"[red]✖ failed[/] after {count}: {Markup.Escape(run.Error ?? "unknown error")}",
        };
        console.MarkupLine(outcome);
        if (chain.Length > 0)
        {
            console.MarkupLine($"[grey]agents:[/] {Markup.Escape(chain)}");
        }

        if (!string.IsNullOrWhiteSpace(run.Answer))
        {
            console.WriteLine();
            console.MarkupLine("[bold]Answer[/]");
            foreach (var line in run.Answer.Trim().Split('\n'))
            {
                console.WriteLine("  " + line.TrimEnd('\r'));
            }
        }

        if (steps.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Transcript[/]");
            foreach (var step in steps)
            {
                var tools = step.ToolCalls.Select(c => c.Succeeded ? c.Tool : $"{c.Tool} ({c.Status})").ToList();
                if (step.Handoff is not null)
                {
                    tools.Add($"handoff → {step.Handoff.To}");
                }

                var did = step.Error is not null ? "failed: " + LiveView.Shorten(step.Error, 80) : tools.Count == 0 ? "answered" : string.Join(", ", tools);
                var served = step.Level is { IsDegraded: true } degraded ? $" [yellow][[{Markup.Escape(degraded.Name)}]][/]" : "";
                console.MarkupLine($"  {step.Index,2} [blue]{Markup.Escape(step.Agent),-12}[/] {Markup.Escape(did)}{served} [grey]({step.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s, {step.Usage.TotalTokens:N0} tokens)[/]");
            }
        }
    }

    /// <summary>Writes every step of a run in full: messages, tool calls with arguments and results, handoffs.</summary>
    public static void WriteDetails(IAnsiConsole console, RunRecord run, IReadOnlyList<RunStep> steps)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        console.MarkupLine($"[bold]run {Markup.Escape(run.Id)}[/] · {RunReport.Status(run.Status)} · {Markup.Escape(run.Workflow)}");
        console.MarkupLine($"[grey]task:[/] {Markup.Escape(run.Task)}");
        var ended = run.EndedAt is { } end ? $" · took {(end - run.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s" : "";
        console.MarkupLine($"[grey]started:[/] {run.StartedAt:yyyy-MM-dd HH:mm:ss}Z{ended} · {run.Usage.TotalTokens:N0} tokens ({run.Usage.InputTokens:N0} in / {run.Usage.OutputTokens:N0} out)");
        if (run.Error is not null)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(run.Error)}");
        }

        foreach (var step in steps)
        {
            console.WriteLine();
            console.MarkupLine($"[bold blue]step {step.Index} · {Markup.Escape(step.Agent)}[/] [grey]({step.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)}s, {step.Usage.InputTokens:N0} in / {step.Usage.OutputTokens:N0} out)[/]");
            if (step.Level is { } level)
            {
                console.MarkupLine($"  [grey]served at[/] {(level.IsDegraded ? "[yellow]" : "[green]")}{Markup.Escape(level.Name)}[/] [grey]({Markup.Escape(level.Model)})[/]");
            }

            if (step.Error is not null)
            {
                console.MarkupLine($"  [red]failed:[/] {Markup.Escape(step.Error)}");
            }
            foreach (var call in step.ToolCalls)
            {
                console.MarkupLine($"  [grey]tool[/] {Markup.Escape(call.Tool)} {Markup.Escape(call.Arguments)}");
                console.MarkupLine($"    {(call.Succeeded ? "[green]→[/]" : "[red]✗[/]")} {Markup.Escape(LiveView.Shorten(call.Result, 300))}{(call.Succeeded ? "" : $" [grey]({call.Status})[/]")}");
            }

            if (step.Handoff is not null)
            {
                console.MarkupLine($"  [yellow]handoff → {Markup.Escape(step.Handoff.To)}[/]: {Markup.Escape(step.Handoff.Note)}");
            }

            if (step.Text.Length > 0)
            {
                console.MarkupLine($"  [grey]said:[/] {Markup.Escape(step.Text.Trim())}");
            }
        }

        if (!string.IsNullOrWhiteSpace(run.Answer))
        {
            console.WriteLine();
            console.MarkupLine("[bold]Answer[/]");
            console.WriteLine("  " + run.Answer.Trim());
        }
    }

    /// <summary>Writes the checkpoint's pending tool calls and escalation; nothing for a null checkpoint or one with neither.</summary>
    public static void WriteCheckpoint(IAnsiConsole console, RunCheckpoint? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (checkpoint?.State is not { } state)
        {
            return;
        }

        foreach (var pending in state.PendingToolCalls)
        {
            console.MarkupLine($"[yellow]pending:[/] {Markup.Escape(pending.Tool)} in step {pending.Step} ({Markup.Escape(pending.Key)}) started but was not committed; the ledger decides on resume whether it runs again");
        }

        if (state.Escalation is { } escalation)
        {
            console.MarkupLine($"[red]waiting for a person{(escalation.Critical ? " (critical)" : "")}:[/] {Markup.Escape(escalation.Reason)}");
        }
    }
}
