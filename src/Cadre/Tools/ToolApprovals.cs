using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>Makes and reads approval decisions: who decided, and whether a denial was escalated to a person. Both
/// travel in the <see cref="AIContent.AdditionalProperties"/> of Microsoft.Extensions.AI's
/// <see cref="ToolApprovalResponseContent"/>.</summary>
public static class ToolApprovals
{
    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key that names who decided.</summary>
    public const string ApproverKey = "cadre.approver";

    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key set to true when a denial is escalated.</summary>
    public const string EscalateKey = "cadre.escalate";

    /// <summary>Makes an approval of a call, naming who approved it.</summary>
    /// <param name="request">The request being answered; the response carries its id.</param>
    /// <param name="approver">Who approves (<c>policy</c>, <c>operator</c>, ...).</param>
    /// <param name="reason">Why, recorded with the decision; null when none was given.</param>
    /// <returns>A new response approving the call, with <see cref="ApproverKey"/> set.</returns>
    public static ToolApprovalResponseContent Approve(ToolApprovalRequestContent request, string approver, string? reason = null) =>
        Decide(request, true, approver, reason, escalate: false);

    /// <summary>Makes a denial of a call, naming who denied it and optionally escalating it to a person.</summary>
    /// <param name="request">The request being answered; the response carries its id.</param>
    /// <param name="approver">Who denies (<c>policy</c>, <c>operator</c>, ...); must not be empty or white space.</param>
    /// <param name="reason">Why (shown to the model and in the audit log).</param>
    /// <param name="escalate">True to escalate the denial to a person, who follows up outside the run.</param>
    /// <returns>A new response denying the call, with <see cref="ApproverKey"/> set and <see cref="EscalateKey"/> when escalated.</returns>
    public static ToolApprovalResponseContent Deny(ToolApprovalRequestContent request, string approver, string? reason = null, bool escalate = false) =>
        Decide(request, false, approver, reason, escalate);

    /// <summary>True when a denial was escalated.</summary>
    /// <param name="response">A decision, from Cadre or from any approver built on Microsoft.Extensions.AI.</param>
    /// <returns>Whether it was escalated.</returns>
    public static bool IsEscalated(ToolApprovalResponseContent response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(EscalateKey, out var value) == true && value is true;
    }

    /// <summary>Who decided ("approver" when not said).</summary>
    /// <param name="response">A decision, from Cadre or from any approver built on Microsoft.Extensions.AI.</param>
    /// <returns>The <see cref="ApproverKey"/> value, or "approver" when it is missing or not a string.</returns>
    public static string ApproverOf(ToolApprovalResponseContent response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(ApproverKey, out var value) == true && value is string name ? name : "approver";
    }

    private static ToolApprovalResponseContent Decide(ToolApprovalRequestContent request, bool approved, string approver, string? reason, bool escalate)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(approver);
        var response = request.CreateResponse(approved, reason);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ApproverKey] = approver;
        if (escalate)
        {
            response.AdditionalProperties[EscalateKey] = true;
        }

        return response;
    }
}
