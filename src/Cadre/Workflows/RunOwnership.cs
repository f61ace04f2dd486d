using Cadre.Observability;
using Cadre.Runs;
using Cadre.Workspaces;

namespace Cadre.Workflows;

/// <summary>This process's hold on a run: the epoch it claimed it under and the heartbeat that renews the lease. When a
/// renewal finds the run claimed by someone else, <see cref="Lost"/> is cancelled and the run stops as superseded.
/// Disposing stops the heartbeat and releases the lease (a crash does neither: the lease lapses, or the OS lock that
/// backs it is released by the kernel).</summary>
internal sealed class RunOwnership : IAsyncDisposable
{
    private readonly IRunStore _runs;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;
    private bool _abandoned;

    private RunOwnership(IRunStore runs, RunLease lease, TimeProvider time, TimeSpan duration, IRunObserver observer)
    {
        _runs = runs;
        _time = time;
        _duration = duration;
        Lease = lease;
        _heartbeat = BeatAsync(observer);
    }

    /// <summary>The lease this process holds.</summary>
    public RunLease Lease { get; }

    /// <summary>The epoch every write of the run is fenced with.</summary>
    public long Epoch => Lease.Epoch;

    /// <summary>Cancelled when a heartbeat finds that another process claimed the run.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Claims a run or says who holds it.</summary>
    /// <exception cref="RunAliveException">Another holder's lease is live.</exception>
    public static async Task<RunOwnership> ClaimAsync(IWorkspace workspace, string runId, RunOptions options, CancellationToken cancellationToken)
    {
        var owner = options.Owner ?? RunOwner.ForThisProcess();
        var now = options.Time.GetUtcNow();
        var claim = await workspace.Runs.ClaimAsync(runId, owner, now, options.LeaseDuration, cancellationToken);
        if (!claim.Claimed)
        {
            throw new RunAliveException(claim.Lease, now);
        }

        options.Faults?.Reached(Resilience.FaultPoints.Claimed, runId);
        return new RunOwnership(workspace.Runs, claim.Lease, options.Time, options.LeaseDuration, options.Observer);
    }

    /// <summary>Stands for this process dying (a crash harness): the heartbeat stops and the lease is left as it is, to
    /// lapse — exactly what a <c>kill -9</c> leaves behind.</summary>
    public void Abandon() => _abandoned = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _heartbeat;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        if (_abandoned)
        {
            _lost.Dispose();
            _stop.Dispose();
            return;
        }

        try
        {
            await _runs.ReleaseAsync(Lease.RunId, Epoch, _time.GetUtcNow(), CancellationToken.None);
        }
#pragma warning disable CA1031 // A lease that cannot be released lapses on its own; the run's outcome stands.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task BeatAsync(IRunObserver observer)
    {
        var interval = _duration / 3;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(interval, _time, _stop.Token);
            bool renewed;
            try
            {
                renewed = await _runs.RenewLeaseAsync(Lease.RunId, Epoch, _time.GetUtcNow(), _duration, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A store that cannot be reached for one heartbeat is tried again at the next; the fence protects the run.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                observer.OnEvent(new RunNotice(Lease.RunId, _time.GetUtcNow(), $"the lease of run {Lease.RunId} could not be renewed: {ex.Message}"));
                continue;
            }

            if (!renewed)
            {
                observer.OnEvent(new RunNotice(Lease.RunId, _time.GetUtcNow(), $"run {Lease.RunId} was claimed by another process; this one stops"));
                await _lost.CancelAsync();
                return;
            }
        }
    }
}
