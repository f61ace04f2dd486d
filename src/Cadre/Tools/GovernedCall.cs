using Cadre.Conversations;

namespace Cadre.Tools;

/// <summary>One call on its way through the governed steps: what each step found or decided, shared by all of them.
/// A finished call's object is used again for the next call on the same thread (<see cref="Rent"/>), so the governed
/// path makes no object per call for itself: splitting it into steps costs no allocation.</summary>
internal sealed class GovernedCall
{
    [ThreadStatic]
    private static GovernedCall? _spare;

    public GovernedCall(ToolCallRequest request, ToolGovernance governance)
    {
        Request = request;
        Governance = governance;
        Started = governance.Time.GetTimestamp();
        Arguments = ToolResults.FormatArguments(request.Call);
    }

    /// <summary>Counts the uses of this object, so a request that kept a finished call's state is not taken for the
    /// call now using it.</summary>
    public int Generation { get; private set; }

    /// <summary>The pipeline this call belongs to; a request carrying another pipeline's call starts afresh.</summary>
    public ToolGovernance Governance { get; private set; }

    /// <summary>The request as the current step sees it (the ledger may give it a key of its own).</summary>
    public ToolCallRequest Request { get; set; }

    /// <summary>The arguments as JSON, as the audit log and the ledger keep them.</summary>
    public string Arguments { get; set; }

    /// <summary>When the call entered the pipeline (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long Started { get; private set; }

    /// <summary>The tool the call runs, once resolved; an alternative while fallback tries one.</summary>
    public ToolState? State { get; set; }

    /// <summary>True once the tool was looked up (it may not exist).</summary>
    public bool Resolved { get; set; }

    /// <summary>What decided the call's outcome, for the audit log.</summary>
    public string? Detail { get; set; }

    /// <summary>How many times the tool's code ran (each attempt that reached it).</summary>
    public int Executions;

    /// <summary>True once the call's audit entry is written (a side-effecting call is audited before the ledger records it).</summary>
    public bool Audited { get; set; }

    /// <summary>True while the ledger runs the call it reserved (a record it returns without running is a replay).</summary>
    public bool RanInLedger { get; set; }

    /// <summary>True when the last failure is one an alternative tool could help with (transient, timeout, circuit, limit).</summary>
    public bool FailureIsPassing { get; set; }

    /// <summary>Why the last attempt failed, in a few words (timed out, circuit open, ...).</summary>
    public string? FailureReason { get; set; }

    /// <summary>True while the resilience step runs the call: failures below it are thrown to Polly, not described.</summary>
    public bool InResilience { get; set; }

    /// <summary>The request without this call's state, for what outlives the call (a tool's scope, a background job).</summary>
    public ToolCallRequest Detached => Request.Governed is null ? Request : Request with { Governed = null };

    /// <summary>A call object for a new call: this thread's spare one, or a new one.</summary>
    public static GovernedCall Rent(ToolCallRequest request, ToolGovernance governance)
    {
        if (_spare is not { } call)
        {
            return new GovernedCall(request, governance);
        }

        _spare = null;
        call.Generation++;
        call.Request = request;
        call.Governance = governance;
        call.Started = governance.Time.GetTimestamp();
        call.Arguments = ToolResults.FormatArguments(request.Call);
        call.State = null;
        call.Resolved = false;
        call.Detail = null;
        call.Executions = 0;
        call.Audited = false;
        call.RanInLedger = false;
        call.FailureIsPassing = false;
        call.FailureReason = null;
        call.InResilience = false;
        return call;
    }

    /// <summary>Gives a finished call's object back for the next call; nothing may use it after.</summary>
    public void Return()
    {
        Request = null!;
        State = null;
        Detail = null;
        FailureReason = null;
        _spare = this;
    }

    /// <summary>The tool, resolving it on first use.</summary>
    public ToolState? Tool()
    {
        if (!Resolved)
        {
            Resolved = true;
            State = Governance.Resolve(Request) is { } tool ? Governance.StateOf(tool) : null;
        }

        return State;
    }

    /// <summary>A record of the call with this outcome and the time taken so far.</summary>
    public ToolCallRecord Record(ToolCallStatus status, string text) =>
        new(Request.Call.CallId, Request.Call.Name, Arguments, status, text, Governance.Time.GetElapsedTime(Started));

    /// <summary>A record of the call, and the detail for the audit log unless a step already gave one.</summary>
    public ToolCallRecord Record(ToolCallStatus status, string text, string detail)
    {
        Detail ??= detail;
        return Record(status, text);
    }
}
