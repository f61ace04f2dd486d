namespace Cadre.Tools;

/// <summary>What an <see cref="ApprovalPolicy"/> rule decides.</summary>
public enum ApprovalDecision
{
    /// <summary>The call may run.</summary>
    Approve,

    /// <summary>The call is denied; the model is told.</summary>
    Deny,

    /// <summary>The call is denied and escalated to a person, who follows up outside the run.</summary>
    DenyAndEscalate,
}
