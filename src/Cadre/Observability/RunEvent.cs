namespace Cadre.Observability;

/// <summary>
/// Something that happened during a run, reported as it happens to an <see cref="IRunObserver"/>: which agent is
/// working, which tool is called, where the thread was handed, how the run ended. Hosts render these (the
/// <c>cadre</c> command's live view); tests assert on them.
/// </summary>
/// <param name="RunId">The run the event belongs to.</param>
/// <param name="At">When it happened, from the run's <see cref="TimeProvider"/>.</param>
public abstract record RunEvent(string RunId, DateTimeOffset At);
