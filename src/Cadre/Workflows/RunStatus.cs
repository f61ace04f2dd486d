namespace Cadre.Workflows;

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
}
