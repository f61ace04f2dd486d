using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>What a person decided about an escalation.</summary>
public enum EscalationDecision
{
    /// <summary>Nobody decided now: the escalation is recorded and the run stops as <see cref="RunStatus.Escalated"/>.</summary>
    Recorded,

    /// <summary>Try again from where the run stands.</summary>
    Retry,

    /// <summary>The person answered; the answer goes back into the workflow (by default it becomes the run's
    /// answer).</summary>
    Answered,
}
