namespace Cadre.Resilience;

/// <summary>Where a dead letter stands.</summary>
public enum DeadLetterStatus
{
    /// <summary>Waiting for someone to retry or discard it.</summary>
    Pending,

    /// <summary>Retried (its run was resumed); the note says how that went.</summary>
    Retried,

    /// <summary>Discarded by a person; kept for the record.</summary>
    Discarded,
}
