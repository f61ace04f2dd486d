namespace Cadre.Runs;

/// <summary>Where a run stands.</summary>
public enum RunStatus
{
    /// <summary>Started and not finished (or interrupted by a crash: resume it).</summary>
    Running,

    /// <summary>Finished with an answer.</summary>
    Completed,

    /// <summary>Ended by an error; the reason is recorded.</summary>
    Failed,

    /// <summary>Stopped by its caller; it can be resumed.</summary>
    Cancelled,

    /// <summary>Stopped cleanly at a budget cap (tokens, cost, steps, wall time) after its last checkpoint; the reason
    /// is recorded and it can be resumed with a larger budget.</summary>
    Stopped,

    /// <summary>Handed to a person: a critical failure or a rejected answer needed a decision nobody could make yet.
    /// The reason is recorded; resuming asks again.</summary>
    Escalated,

    /// <summary>Gave up after exhausting retries and fallbacks; the task is in the workspace's dead-letter queue with
    /// its inputs, attempts and errors, and can be retried.</summary>
    DeadLettered,

    /// <summary>A tool call waits for a person to approve or deny it (<c>cadre approvals</c>, <c>cadre dashboard</c>);
    /// the run stopped after its last checkpoint and continues with <c>cadre resume</c> once it is decided.</summary>
    WaitingForApproval,
}
