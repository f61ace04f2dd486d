namespace Cadre.Resilience;

/// <summary>A write of a run was refused because the writer no longer owns it: another process claimed the run
/// (its epoch is higher), the checkpoint moved past the step being committed, or the run is already completed. The
/// writer must stop and touch nothing more; the run goes on (or has ended) in its new owner's hands.</summary>
public sealed class RunSupersededException : InvalidOperationException
{
    /// <summary>Creates the exception for a refused write, with a message naming the run, the reason and the epoch.</summary>
    /// <param name="runId">The id of the run the write was for.</param>
    /// <param name="epoch">The refused writer's epoch: the number of its claim of the run (1 for the first claim).</param>
    /// <param name="reason">Why the write was refused, in words.</param>
    public RunSupersededException(string runId, long epoch, string reason)
        : base($"Run {runId} was superseded: {reason}. This process (epoch {epoch}) stopped without writing.")
    {
        RunId = runId;
        Epoch = epoch;
    }

    /// <summary>Creates the exception with a message.</summary>
    public RunSupersededException()
        : this("", 0, "another owner holds it")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RunSupersededException(string message)
        : base(message)
    {
        RunId = "";
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which run was superseded and why, for people.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public RunSupersededException(string message, Exception innerException)
        : base(message, innerException)
    {
        RunId = "";
    }

    /// <summary>The id of the run another process took over.</summary>
    public string RunId { get; }

    /// <summary>The epoch of the writer that was refused.</summary>
    public long Epoch { get; }
}
