namespace Cadre.Tools;

/// <summary>
/// Approval requests that wait for a person, in the workspace. Four operations, each one atomic: a request is made
/// once per call (<see cref="RequestAsync"/> returns the one already there), read, listed, and decided once
/// (<see cref="DecideAsync"/> refuses a second decision). Every implementation passes the approval store contract
/// tests (<c>ApprovalStoreContract</c> in the test project).
/// </summary>
public interface IApprovalStore
{
    /// <summary>Stores a new pending request, unless one for the same call (same <see cref="ApprovalRequest.Key"/>,
    /// tool and arguments) exists: then that one is returned as it stands, with its decision if made.</summary>
    /// <param name="request">The request (status pending).</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The stored request: the new one, or the one already there.</returns>
    Task<ApprovalRequest> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default);

    /// <summary>Finds a request by its id or a unique prefix of it.</summary>
    /// <param name="id">The id or a prefix.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The request, or null when none or several match.</returns>
    Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists requests, newest first.</summary>
    /// <param name="status">Only those with this status; all when null.</param>
    /// <param name="runId">Only those of this run; all when null.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status = null, string? runId = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Decides a pending request, once: approved or denied, by whom, why and when.</summary>
    /// <param name="id">The request's full id.</param>
    /// <param name="approved">True to approve, false to deny.</param>
    /// <param name="decidedBy">The person or channel deciding (<c>alice</c>, <c>dashboard</c>); stored as the
    /// request's <see cref="ApprovalRequest.DecidedBy"/>.</param>
    /// <param name="reason">Why (required by callers for a denial; kept either way).</param>
    /// <param name="at">When the person decided; stored as the request's <see cref="ApprovalRequest.DecidedAt"/>.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The decided request; null when no pending request has that id (unknown, or already decided — the
    /// first decision stands).</returns>
    Task<ApprovalRequest?> DecideAsync(string id, bool approved, string decidedBy, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default);
}
