namespace Cadre.Tools;

/// <summary>Where an <see cref="ApprovalRequest"/> stands.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for a person; the run that made it is <c>WaitingForApproval</c>.</summary>
    Pending,

    /// <summary>A person approved the call; it runs (once) when the run continues.</summary>
    Approved,

    /// <summary>A person denied the call; the model is told so as a tool error when the run continues.</summary>
    Denied,
}
