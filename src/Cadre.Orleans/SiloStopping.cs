using Cadre.Resilience;

namespace Cadre.Orleans;

/// <summary>Makes the runs of a silo that stops "die" at their next fault point where nothing is left half done (a
/// step about to be committed or just committed, a claim, post-run work): they stop writing and renewing their leases,
/// exactly as a <c>kill -9</c> of the host would leave them, and another silo takes them over once the lease lapses.
/// Needed where the silo's process lives on (a test host, a graceful stop): its runs' tasks would go on otherwise.
/// The points around a side-effecting tool call are not used: dying there would leave the call's outcome unknown.</summary>
internal sealed class SiloStopping(CancellationToken stopping) : IFaultInjector
{
    public void Reached(string point, string runId)
    {
        if (stopping.IsCancellationRequested && point is not (FaultPoints.BeforeTool or FaultPoints.AfterTool))
        {
            throw new CrashException($"the silo stopped; run {runId} is left at {point} for another silo");
        }
    }
}
