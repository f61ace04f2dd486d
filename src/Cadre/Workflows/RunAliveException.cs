using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>A run could not be started or resumed because another holder's lease on it is live: it is running in
/// another process (or another caller of this one). Wait for it, or resume it once its lease has lapsed.</summary>
public sealed class RunAliveException : InvalidOperationException
{
    /// <summary>Creates the exception with a message (<see cref="Describe"/>) saying who holds the run.</summary>
    /// <param name="holder">The live lease of the holder in the way.</param>
    /// <param name="now">When the claim was refused (to say how long ago the holder was last seen).</param>
    public RunAliveException(RunLease holder, DateTimeOffset now)
        : base(Describe(holder, now))
    {
        Holder = holder;
    }

    /// <summary>The live lease that refused the claim.</summary>
    public RunLease Holder { get; }

    /// <summary>Says who holds a run and when it was last seen: "run r1 is running in process 4711 on host h; it was
    /// last seen 2 s ago (lease until ...)".</summary>
    /// <param name="holder">The lease to describe: its run, holder, last heartbeat and expiry.</param>
    /// <param name="now">The time to measure from.</param>
    public static string Describe(RunLease holder, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var seen = Math.Max(0, (now - holder.HeartbeatAt).TotalSeconds);
        var expires = Math.Max(0, (holder.ExpiresAt - now).TotalSeconds);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"run {holder.RunId} is running in {holder.Owner}; it was last seen {seen:0.#} s ago (its lease lapses in {expires:0.#} s unless renewed)");
    }
}
