using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Workflows;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>Renders a run for people (answer, handoff chain, compact transcript) and for scripts (JSON).</summary>
public static class RunReport
{
    /// <summary>Writes the end of a run: its outcome, the answer and a compact transcript.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="run">The run.</param>
    /// <param name="steps">Its steps.</param>
    public static void WriteSummary(IAnsiConsole console, RunRecord run, IReadOnlyList<RunStep> steps)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        console.WriteLine();
        var chain = Chain(steps);
        var usage = $"{run.Usage.TotalTokens:N0} tokens ({run.Usage.InputTokens:N0} in / {run.Usage.OutputTokens:N0} out)";
        var count = $"{steps.Count} step{(steps.Count == 1 ? "" : "s")}";
        var level = WorstLevel(steps);
        var outcome = run.Status switch
        {
            RunStatus.Completed when level is { IsDegraded: true } => $"[green]✔ done[/] [yellow](degraded: served at {Markup.Escape(level.Name)})[/] in {count} · {usage}",
            RunStatus.Completed => $"[green]✔ done[/] in {count} · {usage}",
            RunStatus.Cancelled => $"[yellow]■ cancelled[/] after {count} · resume with: cadre resume {run.Id}",
            RunStatus.Stopped => $"[yellow]■ stopped[/] after {count}: {Markup.Escape(run.Error ?? "")} · resume with: cadre resume {run.Id}",
            RunStatus.Escalated => $"[red]! escalated[/] after {count}: {Markup.Escape(run.Error ?? "")} · resume with: cadre resume {run.Id}",
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
    /// <param name="console">Where to write.</param>
    /// <param name="run">The run.</param>
    /// <param name="steps">Its steps.</param>
    public static void WriteDetails(IAnsiConsole console, RunRecord run, IReadOnlyList<RunStep> steps)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        console.MarkupLine($"[bold]run {Markup.Escape(run.Id)}[/] · {Status(run.Status)} · {Markup.Escape(run.Workflow)}");
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

    /// <summary>The run as one JSON object: id, status, workflow, task, answer, error, times, usage, the agents in
    /// order, and every step with its tool calls.</summary>
    /// <param name="run">The run.</param>
    /// <param name="steps">Its steps.</param>
    /// <returns>The JSON.</returns>
    public static JsonObject ToJson(RunRecord run, IReadOnlyList<RunStep> steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        var json = Summary(run);
        json["agents"] = new JsonArray(AgentsInOrder(steps).Select(a => (JsonNode?)a).ToArray());
        json["level"] = Level(WorstLevel(steps));
        json["degraded"] = run.Status == RunStatus.Completed && WorstLevel(steps)?.IsDegraded == true;
        json["steps"] = new JsonArray(steps.Select(s => (JsonNode?)new JsonObject
        {
            ["index"] = s.Index,
            ["agent"] = s.Agent,
            ["startedAt"] = s.StartedAt.ToString("o", CultureInfo.InvariantCulture),
            ["durationMs"] = Math.Round(s.Duration.TotalMilliseconds, 1),
            ["usage"] = Usage(s.Usage),
            ["text"] = s.Text,
            ["handoff"] = s.Handoff is null ? null : new JsonObject { ["to"] = s.Handoff.To, ["note"] = s.Handoff.Note },
            ["level"] = Level(s.Level),
            ["error"] = s.Error,
            ["toolCalls"] = new JsonArray(s.ToolCalls.Select(c => (JsonNode?)new JsonObject
            {
                ["id"] = c.CallId,
                ["tool"] = c.Tool,
                ["arguments"] = ParseOrText(c.Arguments),
                ["status"] = JsonNamingPolicy.CamelCase.ConvertName(c.Status.ToString()),
                ["result"] = c.Result,
                ["durationMs"] = Math.Round(c.Duration.TotalMilliseconds, 1),
            }).ToArray()),
        }).ToArray());
        return json;
    }

    /// <summary>Adds what the checkpoint says beyond the steps: tool calls pending when the run was interrupted, and an
    /// escalation waiting for a person.</summary>
    /// <param name="json">The run's JSON.</param>
    /// <param name="checkpoint">Its checkpoint, if any.</param>
    public static void AddCheckpoint(JsonObject json, RunCheckpoint? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(json);
        var state = checkpoint?.State;
        json["checkpointStep"] = state?.Step;
        json["nextAgent"] = state?.NextAgent;
        json["pendingToolCalls"] = new JsonArray((state?.PendingToolCalls ?? []).Select(p => (JsonNode?)new JsonObject
        {
            ["key"] = p.Key,
            ["step"] = p.Step,
            ["agent"] = p.Agent,
            ["tool"] = p.Tool,
            ["arguments"] = ParseOrText(p.Arguments),
            ["startedAt"] = p.StartedAt.ToString("o", CultureInfo.InvariantCulture),
        }).ToArray());
        json["escalation"] = state?.Escalation is { } e ? new JsonObject { ["reason"] = e.Reason, ["critical"] = e.Critical, ["agent"] = e.Agent } : null;
    }

    /// <summary>Writes the checkpoint's pending tool calls and escalation, if there are any.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="checkpoint">The checkpoint.</param>
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

    /// <summary>A run's summary fields as JSON (no steps).</summary>
    /// <param name="run">The run.</param>
    /// <returns>The JSON.</returns>
    public static JsonObject Summary(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new JsonObject
        {
            ["id"] = run.Id,
            ["status"] = Status(run.Status),
            ["workflow"] = run.Workflow,
            ["task"] = run.Task,
            ["answer"] = run.Answer,
            ["error"] = run.Error,
            ["startedAt"] = run.StartedAt.ToString("o", CultureInfo.InvariantCulture),
            ["endedAt"] = run.EndedAt?.ToString("o", CultureInfo.InvariantCulture),
            ["steps"] = run.Steps,
            ["usage"] = Usage(run.Usage),
            ["metadata"] = new JsonObject(run.Metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        };
    }

    /// <summary>A run status as the command line writes it (<c>running</c>, <c>completed</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word.</returns>
    public static string Status(RunStatus status) => status == RunStatus.DeadLettered ? "dead-lettered" : status.ToString().ToLowerInvariant();

    /// <summary>The worst degradation level that served any step, if any step used a fallback chain.</summary>
    /// <param name="steps">The steps.</param>
    /// <returns>The level, or null.</returns>
    public static ServedLevel? WorstLevel(IReadOnlyList<RunStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return steps.Aggregate((ServedLevel?)null, (worst, step) => ServedLevel.Worse(worst, step.Level));
    }

    private static JsonObject? Level(ServedLevel? level) =>
        level is null ? null : new JsonObject { ["name"] = level.Name, ["rank"] = level.Rank, ["model"] = level.Model };

    /// <summary>The agents in the order they worked, without repeats in a row: <c>triage → billing</c>.</summary>
    /// <param name="steps">The steps.</param>
    /// <returns>The chain.</returns>
    public static string Chain(IReadOnlyList<RunStep> steps) => string.Join(" → ", AgentsInOrder(steps));

    private static List<string> AgentsInOrder(IReadOnlyList<RunStep> steps)
    {
        var agents = new List<string>();
        foreach (var step in steps)
        {
            if (agents.Count == 0 || agents[^1] != step.Agent)
            {
                agents.Add(step.Agent);
            }
        }

        return agents;
    }

    private static JsonObject Usage(TokenUsage usage) => new()
    {
        ["inputTokens"] = usage.InputTokens,
        ["outputTokens"] = usage.OutputTokens,
        ["totalTokens"] = usage.TotalTokens,
    };

    private static JsonNode? ParseOrText(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
