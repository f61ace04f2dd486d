namespace Cadre.Resilience;

/// <summary>
/// A task that exhausted its retries and fallbacks, kept in the workspace's dead-letter queue with what is needed to
/// understand and retry it: its inputs (the task, the run and where it stood, the spec and model it ran with), every
/// failed attempt, and the final error. Retrying resumes its run from the last checkpoint.
/// </summary>
public sealed record DeadLetter
{
    /// <summary>The dead letter's id (<c>dl-…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The run that gave up.</summary>
    public required string RunId { get; init; }

    /// <summary>The workflow kind of the run.</summary>
    public required string Workflow { get; init; }

    /// <summary>The task the run was started with, as the user gave it; also kept in <see cref="Inputs"/> under <c>task</c>.</summary>
    public required string Task { get; init; }

    /// <summary>The step that failed, counted from 1; retrying resumes the run at it.</summary>
    public int Step { get; init; }

    /// <summary>The agent that was working, if any.</summary>
    public string? Agent { get; init; }

    /// <summary>The error that ended the run, in one line for people (the HTTP status when there is one, then the
    /// message).</summary>
    public required string Error { get; init; }

    /// <summary>The final error's type name.</summary>
    public string ErrorType { get; init; } = "";

    /// <summary>Every failed attempt made in the step, in order.</summary>
    public IReadOnlyList<CallAttempt> Attempts { get; init; } = [];

    /// <summary>The inputs needed to retry it (spec, model, notes for the step, ...).</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>When the run gave up and stored it, by the run's clock; the queue lists newest first by it.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Pending until someone retries or discards it; then <see cref="ResolvedAt"/> and
    /// <see cref="Resolution"/> say when and how.</summary>
    public DeadLetterStatus Status { get; init; } = DeadLetterStatus.Pending;

    /// <summary>When it was retried or discarded, if it was.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>What became of it ("retried: completed", "discarded by ops: duplicate", ...).</summary>
    public string? Resolution { get; init; }
}
