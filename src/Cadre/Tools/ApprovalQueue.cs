using System.Security.Cryptography;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// An approver that leaves decisions to a person who may not be there yet: a call that needs approval becomes an
/// <see cref="ApprovalRequest"/> in the workspace's <see cref="IApprovalStore"/> and the run stops as
/// <c>WaitingForApproval</c> (<see cref="ApprovalPendingException"/>); the process may exit. Once someone decides
/// (<c>cadre approvals</c>, <c>cadre dashboard</c>, <see cref="ApproveOrDenyAsync"/>), the resumed run asks again under the
/// same idempotency key and gets the decision: an approved call runs once, a denied one reaches the model as a tool
/// error with the person's reason.
/// </summary>
/// <param name="store">Where requests are kept; the calling run's workspace's (<see cref="ToolCallContext.Approvals"/>)
/// when null.</param>
/// <param name="time">The clock requests are stamped with; the caller's when null.</param>
public sealed class ApprovalQueue(IApprovalStore? store = null, TimeProvider? time = null) : IToolApprover
{
    /// <summary>What this approver is called in the live view and the audit log.</summary>
    public const string Description = "approvals: wait for a person (cadre approvals, cadre dashboard)";

    /// <inheritdoc />
    public async ValueTask<ToolApprovalResponseContent> DecideAsync(ToolApprovalRequestContent request, ToolApprovalContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.Caller;
        var approvals = store ?? caller.Approvals
            ?? throw new InvalidOperationException("Approvals wait for a person only inside a run with a workspace; this call has neither.");
        var stored = await approvals.RequestAsync(new ApprovalRequest
        {
            Id = NewId(),
            Key = context.Key.Length > 0 ? context.Key : $"{caller.RunId}/{caller.Step}/{request.RequestId}",
            RunId = caller.RunId,
            Step = caller.Step,
            Agent = caller.Agent,
            Tool = context.Tool.Name,
            Arguments = context.Arguments,
            RequestedAt = (time ?? caller.Time).GetUtcNow(),
        }, cancellationToken);
        return stored.Status switch
        {
            ApprovalStatus.Approved => ToolApprovals.Approve(request, stored.DecidedBy ?? "person", stored.Reason),
            ApprovalStatus.Denied => ToolApprovals.Deny(request, stored.DecidedBy ?? "person", stored.Reason),
            _ => throw new ApprovalPendingException(stored),
        };
    }

    /// <summary>Decides a pending request as a person and writes the decision (who, why) to the audit log.</summary>
    /// <param name="store">The store that holds the request; the decision is written there, first decision wins.</param>
    /// <param name="audit">Receives one entry for the decision (<c>Started</c> for an approval, <c>Denied</c> for a denial), written uncancellably once the decision is stored.</param>
    /// <param name="id">The request's id or a unique prefix.</param>
    /// <param name="approved">True to approve, false to deny.</param>
    /// <param name="decidedBy">The person's name, kept with the request and in the audit; must not be empty or white space.</param>
    /// <param name="reason">Why; required for a denial, since the model is told.</param>
    /// <param name="at">The decision's time, stamped on the request and the audit entry.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The request as the store now holds it, with its status, decider and trimmed reason.</returns>
    /// <exception cref="ArgumentException">A denial without a reason.</exception>
    /// <exception cref="KeyNotFoundException">No request matches <paramref name="id"/>.</exception>
    /// <exception cref="InvalidOperationException">The request was already decided; the first decision stands.</exception>
    public static async Task<ApprovalRequest> ApproveOrDenyAsync(IApprovalStore store, IAuditLog audit, string id, bool approved, string decidedBy, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentException.ThrowIfNullOrWhiteSpace(decidedBy);
        if (!approved && string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A denial needs a reason: the model is told it, and the audit log keeps it.", nameof(reason));
        }

        var found = await store.GetAsync(id, cancellationToken)
            ?? throw new KeyNotFoundException($"No approval request matches '{id}' (see: cadre approvals list).");
        var decided = await store.DecideAsync(found.Id, approved, decidedBy, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), at, cancellationToken);
        if (decided is null)
        {
            var now = await store.GetAsync(found.Id, cancellationToken) ?? found;
            throw new InvalidOperationException($"Approval {found.Id} was already {now.Status.ToString().ToLowerInvariant()} by {now.DecidedBy}; the first decision stands.");
        }

        await audit.AppendAsync(new AuditEntry
        {
            At = at,
            RunId = decided.RunId,
            Step = decided.Step,
            Agent = decided.Agent,
            Tool = decided.Tool,
            Key = decided.Key,
            Arguments = decided.Arguments,
            Status = approved ? ToolCallStatus.Started : ToolCallStatus.Denied,
            Result = "",
            Detail = $"approval {decided.Id} {(approved ? "approved" : "denied")} by {decidedBy}{(decided.Reason is { } why ? ": " + why : "")}",
            Duration = TimeSpan.Zero,
        }, CancellationToken.None);
        return decided;
    }

    /// <summary>A new request id: <c>ap-</c> and ten hex digits.</summary>
    /// <returns>A random id such as <c>ap-3f9a0c12be</c>; not checked against the store.</returns>
    public static string NewId() => "ap-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
