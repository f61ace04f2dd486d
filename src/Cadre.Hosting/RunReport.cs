using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;

namespace Cadre.Hosting;

/// <summary>Renders a run for scripts and services: the <c>--json</c> format of <c>cadre run</c>, <c>cadre runs show</c>
/// and <c>cadre runs list</c>, and the words and chains people read.</summary>
public static class RunReport
{
    /// <summary>The run as one JSON object: id, status, workflow, task, answer, error, times, usage, the agents in
    /// order, and every step with its tool calls.</summary>
    /// <param name="run">The run's record, as the workspace keeps it.</param>
    /// <param name="steps">The run's steps in order (<see cref="IRunStore"/> or <see cref="Cadre.Workflows.WorkflowRun.Steps"/>).</param>
    /// <returns>A new object: times in ISO 8601 (<c>o</c>), durations in milliseconds (<c>durationMs</c>), tool call
    /// arguments parsed as JSON where they are JSON.</returns>
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
    /// <param name="json">An object from <see cref="ToJson"/> or <see cref="Summary"/>; the fields are set on it.</param>
    /// <param name="checkpoint">The run's checkpoint; null sets the fields to null and no pending calls.</param>
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

    /// <summary>A run's summary fields as JSON (no steps).</summary>
    /// <returns>A new object; the status as <see cref="Status"/> words it, times in ISO 8601 (<c>o</c>).</returns>
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
    /// <returns>Lowercase; <c>dead-lettered</c> and <c>waiting-for-approval</c> for the two-word statuses.</returns>
    public static string Status(RunStatus status) => status switch
    {
        RunStatus.DeadLettered => "dead-lettered",
        RunStatus.WaitingForApproval => "waiting-for-approval",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The worst degradation level that served any step, if any step used a fallback chain.</summary>
    /// <returns>Null when no step records a level (no step went through a fallback chain).</returns>
    public static ServedLevel? WorstLevel(IReadOnlyList<RunStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return steps.Aggregate((ServedLevel?)null, (worst, step) => ServedLevel.Worse(worst, step.Level));
    }

    private static JsonObject? Level(ServedLevel? level) =>
        level is null ? null : new JsonObject { ["name"] = level.Name, ["rank"] = level.Rank, ["model"] = level.Model };

    /// <summary>The agents in the order they worked, without repeats in a row: <c>triage → billing</c>.</summary>
    /// <returns>The names joined by <c> → </c>; empty when there are no steps.</returns>
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
