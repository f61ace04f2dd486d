namespace Cadre.Resilience;

/// <summary>
/// Fault points inside the runtime: the workflow and the governed tool path tell the injector each time they reach
/// one (<see cref="FaultPoints"/>), and a crash harness makes the process "die" there — a test by throwing
/// <see cref="CrashException"/>, the <c>cadre</c> command (<c>CADRE_CRASH_AT</c>) by killing itself. Chosen by seed,
/// the same point is hit on every run, so a crash between two particular writes is a test, not a matter of timing.
/// </summary>
public interface IFaultInjector
{
    /// <summary>Called when the runtime reaches <paramref name="point"/>.</summary>
    /// <param name="point">The point (one of <see cref="FaultPoints"/>).</param>
    /// <param name="runId">The id of the run being written at that point, so a harness can crash one run only.</param>
    void Reached(string point, string runId);
}
