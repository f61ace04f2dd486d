using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// Decides whether a call of a tool that requires approval may run: a callback in code, a person at the terminal,
/// or a policy file. Requests and decisions are Microsoft.Extensions.AI's <see cref="ToolApprovalRequestContent"/>
/// and <see cref="ToolApprovalResponseContent"/>, so approvals interoperate with other .NET agent hosts;
/// <see cref="ToolApprovals"/> makes and reads decisions (who decided, escalation).
/// </summary>
public interface IToolApprover
{
    /// <summary>Decides on one call. Must not wait for ever: an approver with no one to ask denies and says so.</summary>
    /// <param name="request">The approval request (its <see cref="ToolApprovalRequestContent.ToolCall"/> is the
    /// model's call).</param>
    /// <param name="context">Who asks, for which tool, with which arguments.</param>
    /// <param name="cancellationToken">Cancels the decision (the call is then cancelled too).</param>
    /// <returns>The decision, made with <see cref="ToolApprovalRequestContent.CreateResponse"/> or
    /// <see cref="ToolApprovals"/>.</returns>
    ValueTask<ToolApprovalResponseContent> DecideAsync(ToolApprovalRequestContent request, ToolApprovalContext context, CancellationToken cancellationToken);
}
