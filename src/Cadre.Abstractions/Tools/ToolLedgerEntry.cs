using Cadre.Agents;

namespace Cadre.Tools;

/// <summary>A side-effecting tool call that completed, as the ledger keeps it.</summary>
/// <param name="Key">The call's idempotency key (<c>run/step/index</c>).</param>
/// <param name="Tool">The tool.</param>
/// <param name="Arguments">The arguments (JSON).</param>
/// <param name="Result">What the call returned to the model.</param>
/// <param name="Status">How it ended.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record ToolLedgerEntry(string Key, string Tool, string Arguments, string Result, ToolCallStatus Status, DateTimeOffset RecordedAt);
