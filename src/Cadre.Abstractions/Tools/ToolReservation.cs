namespace Cadre.Tools;

/// <summary>A side-effecting call about to run, as <see cref="IToolLedger.ReserveAsync"/> reserves it.</summary>
/// <param name="Key">The call's idempotency key.</param>
/// <param name="RunId">The run making it ("" outside a run: not fenced).</param>
/// <param name="Epoch">The epoch of the run's owner making it.</param>
/// <param name="Tool">The tool's name as the model called it.</param>
/// <param name="Arguments">The call's arguments as JSON, kept in the pending entry.</param>
/// <param name="At">When it was reserved.</param>
public sealed record ToolReservation(string Key, string RunId, long Epoch, string Tool, string Arguments, DateTimeOffset At)
{
    /// <summary>True to take over a pending call of an earlier epoch (its outcome unknown) and run it again under the
    /// same key — only for tools that are idempotent on that key, or when a person decided so.</summary>
    public bool Repeat { get; init; }
}
