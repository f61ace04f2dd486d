namespace Cadre.Observability;

/// <summary>A note from the host or the framework worth showing to whoever watches the run (for example which
/// model in a fallback chain is serving).</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Text">One line for people, in plain words (a failed hook, a lost lease, what memory recalled).</param>
public sealed record RunNotice(string RunId, DateTimeOffset At, string Text) : RunEvent(RunId, At);
