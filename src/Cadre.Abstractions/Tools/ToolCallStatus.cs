namespace Cadre.Tools;

/// <summary>How a tool call ended. Every status but <see cref="Succeeded"/> is reported back to the model as a
/// tool error it can act on; none of them ends the run.</summary>
public enum ToolCallStatus
{
    /// <summary>The tool ran and returned a result.</summary>
    Succeeded,

    /// <summary>The tool ran and failed (it threw, or timed out).</summary>
    Failed,

    /// <summary>The model asked for a tool that this agent does not have.</summary>
    UnknownTool,

    /// <summary>The arguments were malformed or did not match the tool's schema.</summary>
    InvalidArguments,

    /// <summary>The call was not allowed: no permission, or an approver said no.</summary>
    Denied,

    /// <summary>The call was not made because the result was already known (cache or idempotency ledger).</summary>
    Replayed,

    /// <summary>The tool runs in the background as a job; the result names the job, and the job's result reaches the
    /// agent when it is ready.</summary>
    Started,
}
