namespace Cadre.Memory.Episodes;

/// <summary>How an episode ended.</summary>
public enum EpisodeOutcome
{
    /// <summary>The run completed with an answer.</summary>
    Success,

    /// <summary>The run failed or was cancelled.</summary>
    Failure,

    /// <summary>The run completed, but only after it was escalated (handed to an escalation agent).</summary>
    Escalated,
}
