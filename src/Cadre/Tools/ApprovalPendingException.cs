namespace Cadre.Tools;

/// <summary>Thrown by <see cref="ApprovalQueue"/> when a call waits for a person: the governed path lets it through,
/// and the workflow stops the run as <c>WaitingForApproval</c> after its last checkpoint instead of failing it.</summary>
public sealed class ApprovalPendingException : Exception
{
    /// <summary>Creates the exception for a request.</summary>
    /// <param name="request">The request as stored, still pending; its id is what a person approves or denies.</param>
    public ApprovalPendingException(ApprovalRequest request)
        : base(Describe(request))
    {
        Request = request;
    }

    /// <summary>The stored request the run waits on; <see cref="ApprovalRequest.Id"/> names it to <c>cadre approvals</c>.</summary>
    public ApprovalRequest Request { get; }

    private static string Describe(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"waiting for a person to approve {request.Tool} (approval {request.Id}); decide with: cadre approvals approve {request.Id} | deny {request.Id} --reason \"...\", or in cadre dashboard";
    }
}
