namespace Cadre.Tools;

/// <summary>What <see cref="IToolLedger.ReserveAsync"/> found, and so what the caller must do.</summary>
public enum ToolReservationStatus
{
    /// <summary>The key is the caller's: run the tool, then record its outcome.</summary>
    Reserved,

    /// <summary>The call already happened and its outcome is recorded: replay it, do not run the tool.</summary>
    Completed,

    /// <summary>An earlier owner of the run reserved the call and stopped before recording it: it may or may not have
    /// happened. Repeat it under the same key only if the tool is idempotent on it; otherwise escalate.</summary>
    OutcomeUnknown,

    /// <summary>The caller no longer owns the run; nothing was written and the tool must not run.</summary>
    Superseded,
}
