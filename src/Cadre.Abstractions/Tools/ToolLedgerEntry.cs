namespace Cadre.Tools;

/// <summary>A side-effecting tool call as the ledger keeps it: completed, or reserved and not yet completed
/// (<see cref="IsPending"/>).</summary>
/// <param name="Key">The call's idempotency key (<c>run/step/index</c>).</param>
/// <param name="Tool">The tool's name as the model called it.</param>
/// <param name="Arguments">The call's arguments as JSON, as the model sent them.</param>
/// <param name="Result">What the call returned to the model.</param>
/// <param name="Status">How the call ended; <see cref="ToolCallStatus.Started"/> while it is only reserved.</param>
/// <param name="RecordedAt">When the call was recorded as done, or, while pending, when it was reserved.</param>
public sealed record ToolLedgerEntry(string Key, string Tool, string Arguments, string Result, ToolCallStatus Status, DateTimeOffset RecordedAt)
{
    /// <summary>The run that made the call ("" outside a run).</summary>
    public string RunId { get; init; } = "";

    /// <summary>The epoch of the run's owner that reserved (or last took over) the call.</summary>
    public long Epoch { get; init; }

    /// <summary>True when the call was reserved and its outcome never recorded: it may or may not have happened.</summary>
    public bool IsPending { get; init; }
}
