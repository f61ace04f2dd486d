using System.Text.Json;

namespace Cadre.Runs;

/// <summary>
/// Where a workflow is between steps: who works next, with which notes, and the answer once there is one. Written
/// with every step (the checkpoint), so a run resumes from its last completed step.
/// </summary>
public sealed record WorkflowState
{
    /// <summary>The task the run was started with, as the user wrote it.</summary>
    public required string Task { get; init; }

    /// <summary>The agent that works in the next step; null when the workflow is finished.</summary>
    public string? NextAgent { get; init; }

    /// <summary>Notes for the next agent's turn (a handoff note, say).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Steps completed so far.</summary>
    public int Step { get; init; }

    /// <summary>Handoffs made so far.</summary>
    public int Handoffs { get; init; }

    /// <summary>The answer, once the workflow is finished.</summary>
    public string? Answer { get; init; }

    /// <summary>Workflow-specific values (a pipeline's position, say).</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>A decision the workflow needs from a person before it can go on, if any.</summary>
    public EscalationRequest? Escalation { get; init; }

    /// <summary>Side-effecting tool calls that started in the step after this checkpoint and were not committed with it
    /// (filled in when a checkpoint is read back after a crash; empty otherwise).</summary>
    public IReadOnlyList<PendingToolCall> PendingToolCalls { get; init; } = [];

    /// <summary>Parts of the checkpoint added by <see cref="Workflows.ICheckpointContributor"/>s, by name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>True when no agent is left to work.</summary>
    public bool IsFinished => NextAgent is null;
}
