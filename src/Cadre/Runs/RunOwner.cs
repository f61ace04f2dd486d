namespace Cadre.Runs;

/// <summary>Who carries out a run: one <c>cadre</c> process (or one in-process caller) for as long as it holds the
/// run's lease. Shown to a second process that tries to resume the run ("running in process 4711 on host h").</summary>
/// <param name="Id">A unique id for this holder; a new one for every claim of a run by a process.</param>
/// <param name="Host">The machine the holder runs on.</param>
/// <param name="ProcessId">The holder's operating-system process id.</param>
public sealed record RunOwner(string Id, string Host, int ProcessId)
{
    /// <summary>A new owner in this process on this machine.</summary>
    public static RunOwner ForThisProcess() => new(Guid.NewGuid().ToString("n")[..16], Environment.MachineName, Environment.ProcessId);

    /// <inheritdoc />
    public override string ToString() => $"process {ProcessId} on host {Host}";
}
