namespace Cadre.Workflows;

/// <summary>
/// Where a workflow is between steps: who works next, with which notes, and the answer once there is one. Written
/// with every step (the checkpoint), so a run resumes from its last completed step.
/// </summary>
public sealed record WorkflowState
{
    /// <summary>The task.</summary>
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

    /// <summary>True when no agent is left to work.</summary>
    public bool IsFinished => NextAgent is null;
}
