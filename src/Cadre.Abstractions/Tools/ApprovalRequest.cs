namespace Cadre.Tools;

/// <summary>A tool call that waits for a person to approve or deny it, kept in the workspace so the decision
/// survives the process that asked. Its <see cref="Key"/> is the call's idempotency key (<c>run/step/index</c>), the
/// same when the run is resumed, so the resumed run finds the decision.</summary>
public sealed record ApprovalRequest
{
    /// <summary>The request's short id (<c>ap-…</c>), what people type: <c>cadre approvals approve ap-3f2a</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The call's idempotency key (<c>run/step/index</c>).</summary>
    public required string Key { get; init; }

    /// <summary>The run that waits for the decision (its status is <c>WaitingForApproval</c> while the request is
    /// pending).</summary>
    public required string RunId { get; init; }

    /// <summary>The run's step that made the call.</summary>
    public int Step { get; init; }

    /// <summary>The agent that made the call.</summary>
    public required string Agent { get; init; }

    /// <summary>The name of the tool the waiting call would run.</summary>
    public required string Tool { get; init; }

    /// <summary>The arguments as JSON, exactly as the call will receive them.</summary>
    public required string Arguments { get; init; }

    /// <summary>When the request was made.</summary>
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>Pending, approved or denied.</summary>
    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;

    /// <summary>Who decided (<c>alice</c>, <c>dashboard</c>), once decided.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>Why, as the person said it (shown to the model on a denial).</summary>
    public string? Reason { get; init; }

    /// <summary>When the person decided, as given to <see cref="IApprovalStore.DecideAsync"/>; null while pending.</summary>
    public DateTimeOffset? DecidedAt { get; init; }
}
