namespace Cadre.Runs;

/// <summary>A run's ownership as the workspace records it: who holds the run, under which epoch, and until when.
/// The holder renews it (a heartbeat) while it works and releases it when the run stops; a lease that is not renewed
/// expires, and the next claim takes the run over under a higher epoch. Every write of the run is fenced by the
/// epoch, so a holder that was taken over cannot write any more.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="Owner">Who holds (or last held) it.</param>
/// <param name="Epoch">The claim's number: 1 for the first claim of a run, one more for each claim after it.</param>
/// <param name="HeartbeatAt">When the holder last claimed or renewed it.</param>
/// <param name="ExpiresAt">When it lapses unless renewed; a released lease expires when it is released.</param>
public sealed record RunLease(string RunId, RunOwner Owner, long Epoch, DateTimeOffset HeartbeatAt, DateTimeOffset ExpiresAt)
{
    /// <summary>True while the lease holds at <paramref name="now"/>: it was neither released nor left to lapse.</summary>
    /// <param name="now">The time to judge at.</param>
    /// <returns>Whether the holder still owns the run.</returns>
    public bool IsHeldAt(DateTimeOffset now) => ExpiresAt > now;
}
