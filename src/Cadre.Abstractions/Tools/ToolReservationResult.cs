namespace Cadre.Tools;

/// <summary>The outcome of <see cref="IToolLedger.ReserveAsync"/>.</summary>
/// <param name="Status">What the caller must do.</param>
/// <param name="Entry">The entry that was there: the recorded call (<see cref="ToolReservationStatus.Completed"/>) or
/// the earlier reservation (<see cref="ToolReservationStatus.OutcomeUnknown"/>); null otherwise.</param>
public sealed record ToolReservationResult(ToolReservationStatus Status, ToolLedgerEntry? Entry = null);
