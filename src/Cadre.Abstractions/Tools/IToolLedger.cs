namespace Cadre.Tools;

/// <summary>
/// Remembers side-effecting tool calls by idempotency key, so a resumed or retried run gets the recorded result
/// instead of doing the side effect again (an email is sent once, however often the step is replayed).
/// </summary>
/// <remarks>A call is <i>reserved</i> (<see cref="ReserveAsync"/>: a pending entry, fenced by the run's epoch) before
/// the tool runs and <i>recorded</i> (<see cref="RecordAsync"/>) when it returns. A pending entry found later means the
/// process making the call stopped in between: its outcome is unknown. Every implementation must pass the shared
/// contract tests (<c>ToolLedgerContract</c> in tests/Cadre.Testing.Contracts).</remarks>
public interface IToolLedger
{
    /// <summary>Finds a call, recorded or only reserved (<see cref="ToolLedgerEntry.IsPending"/>).</summary>
    /// <param name="key">The call's idempotency key (<c>run/step/index</c>), compared exactly.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The entry, or null.</returns>
    Task<ToolLedgerEntry?> FindAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reserves a call's key before the tool runs, atomically and fenced by the run's epoch:
    /// <list type="bullet">
    /// <item>no entry: a pending entry is written — <see cref="ToolReservationStatus.Reserved"/>, the caller runs the tool;</item>
    /// <item>a recorded entry: <see cref="ToolReservationStatus.Completed"/> with it — replay it, do not run the tool;</item>
    /// <item>a pending entry of an earlier epoch: <see cref="ToolReservationStatus.OutcomeUnknown"/> with it, unless
    /// <see cref="ToolReservation.Repeat"/> asks to take it over (then <see cref="ToolReservationStatus.Reserved"/>);</item>
    /// <item>a pending entry of the caller's own epoch: <see cref="ToolReservationStatus.Reserved"/>;</item>
    /// <item>the caller's epoch is not the run's (another process claimed it): <see cref="ToolReservationStatus.Superseded"/>,
    /// nothing written.</item>
    /// </list>
    /// A reservation outside a run (<see cref="ToolReservation.RunId"/> empty) is not fenced.</summary>
    /// <param name="reservation">The call about to run.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>What the caller must do.</returns>
    Task<ToolReservationResult> ReserveAsync(ToolReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>Records a completed call: completes its pending entry (whoever reserved it: the call happened), or adds
    /// it; a second record under the same key keeps the first.</summary>
    /// <param name="entry">The call as it ended: its key, tool, arguments, what the model was told and its status.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when the entry is durable.</returns>
    Task RecordAsync(ToolLedgerEntry entry, CancellationToken cancellationToken = default);
}
