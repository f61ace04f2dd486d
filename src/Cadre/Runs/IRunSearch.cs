namespace Cadre.Runs;

/// <summary>Finds a page of runs — by status and by text in the id or task, newest first — without loading the
/// others: what a runs page over thousands of runs, or a cluster of hosts sharing one workspace, needs. It reads only
/// the runs' summary; read the runs themselves with <see cref="IRunStore.GetRunAsync"/>.</summary>
public interface IRunSearch
{
    /// <summary>One page of matching run ids, newest first (by start time, then id), and how many match in all.</summary>
    /// <param name="status">Only runs with this status; every status when null.</param>
    /// <param name="text">Only runs whose id or task contains this, ignoring case (<c>%</c> and <c>_</c> are plain
    /// characters); every run when null.</param>
    /// <param name="offset">How many matching runs to skip (0 or more).</param>
    /// <param name="limit">At most this many ids (0 or more; 0 counts without listing).</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> or <paramref name="limit"/> is negative.</exception>
    Task<RunSearchPage> PageAsync(RunStatus? status, string? text, int offset, int limit, CancellationToken cancellationToken = default);
}
