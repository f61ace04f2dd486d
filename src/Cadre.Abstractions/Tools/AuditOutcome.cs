namespace Cadre.Tools;

/// <summary>What happened to a tool call, as <c>cadre audit</c> shows it.</summary>
public enum AuditOutcome
{
    /// <summary>The tool's code ran (see <see cref="AuditEntry.Executions"/>).</summary>
    Executed,

    /// <summary>The tool did not run: the recorded result (ledger or cache) was returned.</summary>
    Replayed,

    /// <summary>Not allowed: no permission, or an approver said no.</summary>
    Denied,

    /// <summary>The call failed (the tool threw, timed out, or a limit or circuit stopped it).</summary>
    Failed,

    /// <summary>Rejected before running: unknown tool or arguments that do not fit.</summary>
    Rejected,

    /// <summary>Not made: an earlier owner of the run reserved the call and stopped before recording it, and the tool
    /// is not idempotent, so repeating it could do its effect twice. A person must decide.</summary>
    OutcomeUnknown,

    /// <summary>Not made: the process no longer owned the run (another one claimed it).</summary>
    Superseded,
}
