namespace Cadre.Tools;

/// <summary>One tool call as the audit log keeps it: who called what, with which arguments, how it ended and why,
/// and how long it took.</summary>
public sealed record AuditEntry
{
    private readonly AuditOutcome? _outcome;

    /// <summary>When the call ended.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The run ("" outside a run).</summary>
    public string RunId { get; init; } = "";

    /// <summary>The run's step (0 outside a run).</summary>
    public int Step { get; init; }

    /// <summary>The name of the agent that made the call (<c>mcp:&lt;client&gt;</c> for a call through
    /// <c>cadre mcp serve</c>); what <see cref="AuditQuery.Agent"/> filters on.</summary>
    public required string Agent { get; init; }

    /// <summary>The tool as the model named it.</summary>
    public required string Tool { get; init; }

    /// <summary>The model's id for the call.</summary>
    public string CallId { get; init; } = "";

    /// <summary>The call's idempotency key.</summary>
    public string Key { get; init; } = "";

    /// <summary>The call's arguments as JSON, after the redactor when one is set; arguments too large for the tool
    /// keep only their first 256 characters and their size.</summary>
    public string Arguments { get; init; } = "{}";

    /// <summary>How the call ended.</summary>
    public required ToolCallStatus Status { get; init; }

    /// <summary>What the model was told: the result or the error.</summary>
    public string Result { get; init; } = "";

    /// <summary>What decided the outcome, when something did: <c>not granted</c>, <c>approved by policy</c>,
    /// <c>cache</c>, <c>ledger</c>, <c>served by geocode_backup</c>, ...</summary>
    public string? Detail { get; init; }

    /// <summary>What happened to the call, in one word: the tool ran, its recorded result was replayed, it was denied,
    /// failed, rejected before running, or not made because its outcome was unknown. Derived from
    /// <see cref="Status"/> and <see cref="Executions"/> unless set.</summary>
    public AuditOutcome Outcome
    {
        get => _outcome ?? Status switch
        {
            ToolCallStatus.Succeeded or ToolCallStatus.Started => Executions > 0 ? AuditOutcome.Executed : AuditOutcome.Replayed,
            ToolCallStatus.Replayed => AuditOutcome.Replayed,
            ToolCallStatus.Denied => AuditOutcome.Denied,
            ToolCallStatus.UnknownTool or ToolCallStatus.InvalidArguments => AuditOutcome.Rejected,
            _ => AuditOutcome.Failed,
        };
        init => _outcome = value;
    }

    /// <summary>How many times the tool's code actually ran for this call (retries of a failure that never reached the
    /// tool are not counted; a replay or a denial is 0). Summing it counts executions, not de-duplicated effects.</summary>
    public int Executions { get; init; }

    /// <summary>How long the call took, approval included.</summary>
    public TimeSpan Duration { get; init; }
}
