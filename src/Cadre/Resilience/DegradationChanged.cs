using Cadre.Observability;

namespace Cadre.Resilience;

/// <summary>A fallback chain started serving at another level: down after a failure (full → reduced), or back up when
/// a better level recovered.</summary>
/// <param name="RunId">The run ("" outside a run).</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Agent">The calling agent ("" outside an agent).</param>
/// <param name="From">The level that served before, if any.</param>
/// <param name="To">The level that serves now.</param>
/// <param name="Reason">Why: the failures that moved it down, or the recovery.</param>
public sealed record DegradationChanged(string RunId, DateTimeOffset At, string Agent, ServedLevel? From, ServedLevel To, string Reason) : RunEvent(RunId, At)
{
    /// <summary>True when the chain moved to a worse level.</summary>
    public bool IsDown => From is null ? To.IsDegraded : To.Rank > From.Rank;
}
