namespace Cadre.Tools;

/// <summary>The rules of <see cref="IToolLedger.ReserveAsync"/> in one place, for every ledger implementation: given
/// the entry under the key (if any) and the run's current epoch, read in the same transaction, what to answer and
/// what to write.</summary>
public static class ToolLedgerRules
{
    /// <summary>Decides a reservation: superseded when the run's epoch has moved on; completed when the key has a recorded outcome; reserved when the key is free, held by the same epoch, or repeated on purpose; else outcome unknown.</summary>
    /// <param name="existing">The entry under the reservation's key, or null.</param>
    /// <param name="reservation">The key, run, epoch and call to reserve; <see cref="ToolReservation.Repeat"/> takes over a pending entry of an earlier epoch.</param>
    /// <param name="currentEpoch">The run's current epoch (0 when never claimed); ignored outside a run.</param>
    /// <returns>The answer, and the entry to write (insert or replace) before answering, if any.</returns>
    public static (ToolReservationResult Result, ToolLedgerEntry? Write) Reserve(ToolLedgerEntry? existing, ToolReservation reservation, long currentEpoch)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.RunId.Length > 0 && currentEpoch != reservation.Epoch)
        {
            return (new ToolReservationResult(ToolReservationStatus.Superseded, existing), null);
        }

        var pending = new ToolLedgerEntry(reservation.Key, reservation.Tool, reservation.Arguments, "", ToolCallStatus.Started, reservation.At)
        {
            RunId = reservation.RunId,
            Epoch = reservation.Epoch,
            IsPending = true,
        };
        return existing switch
        {
            null => (new ToolReservationResult(ToolReservationStatus.Reserved), pending),
            { IsPending: false } => (new ToolReservationResult(ToolReservationStatus.Completed, existing), null),
            _ when existing.Epoch == reservation.Epoch => (new ToolReservationResult(ToolReservationStatus.Reserved, existing), null),
            _ when reservation.Repeat => (new ToolReservationResult(ToolReservationStatus.Reserved, existing), pending),
            _ => (new ToolReservationResult(ToolReservationStatus.OutcomeUnknown, existing), null),
        };
    }

    /// <summary>What recording a completed call writes: the completion when the key is free or only reserved; nothing
    /// when a completion is already there (the first one stays).</summary>
    /// <param name="existing">The entry under the key, or null.</param>
    /// <param name="entry">The outcome to record; its run id falls back to the existing entry's, and the higher epoch is kept.</param>
    /// <returns>The entry to write, or null.</returns>
    public static ToolLedgerEntry? Record(ToolLedgerEntry? existing, ToolLedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return existing is { IsPending: false }
            ? null
            : entry with { IsPending = false, RunId = entry.RunId.Length > 0 ? entry.RunId : existing?.RunId ?? "", Epoch = Math.Max(entry.Epoch, existing?.Epoch ?? 0) };
    }
}
