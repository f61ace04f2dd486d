using Cadre.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cadre.Orleans;

/// <summary>
/// Each silo's look-out for runs whose host died: every <see cref="CadreClusterOptions.SweepInterval"/> it lists the
/// cluster's runs that are still running and whose lease lapsed, and asks each one's grain to resume it. Every silo
/// sweeps; the grain's single activation and the workspace's claim make the overlapping requests harmless.
/// </summary>
internal sealed partial class RunSweeper(CadreSilo silo, IGrainFactory grains, ILogger<RunSweeper> logger) : BackgroundService
{
    /// <summary>How many running runs a sweep reads at a time (and how many of the latest runs it looks at in a workspace
    /// without a run search).</summary>
    private const int Window = 2000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var time = silo.Options.Host.Time;
        using var timer = new PeriodicTimer(silo.Options.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A sweep that fails (the database away, the cluster changing) is tried again at the next tick.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>Asks the grain of every run of the cluster whose lease lapsed to resume it.</summary>
    /// <returns>How many runs were handed to their grains.</returns>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var workspace = await silo.WorkspaceAsync(cancellationToken);
        var lapsed = await LapsedAsync(workspace, silo.Options.ClusterId, silo.Options.Host.Time.GetUtcNow(), Window, cancellationToken);
        await Task.WhenAll(lapsed.Select(id => ResumeAsync(id, cancellationToken)));
        return lapsed.Count;
    }

    /// <summary>The runs of a cluster that are still running and whose lease lapsed (or was never taken), however many
    /// newer runs the workspace holds.</summary>
    /// <param name="workspace">The PostgreSQL workspace the cluster's hosts share; only read.</param>
    /// <param name="clusterId">The cluster whose runs are looked at; other clusters' and plain <c>cadre run</c> runs are left.</param>
    /// <param name="now">The time leases are compared with.</param>
    /// <param name="pageSize">How many running runs are read at a time.</param>
    /// <param name="cancellationToken">Stops the look-up with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>The ids of the runs to resume.</returns>
    internal static async Task<IReadOnlyList<string>> LapsedAsync(Workspaces.IWorkspace workspace, string clusterId, DateTimeOffset now, int pageSize, CancellationToken cancellationToken)
    {
        var lapsed = new List<string>();
        await foreach (var run in RunningAsync(workspace, pageSize, cancellationToken))
        {
            if (run.Status != RunStatus.Running || run.Metadata.GetValueOrDefault(CadreSilo.ClusterKey) != clusterId)
            {
                continue;
            }

            var lease = await workspace.Runs.GetLeaseAsync(run.Id, cancellationToken);
            if (lease is null || lease.ExpiresAt <= now)
            {
                lapsed.Add(run.Id);
            }
        }

        return lapsed;
    }

    // The runs still running, however many newer runs there are (the workspace's run search pages through them by
    // status); a workspace without a search gives its latest runs.
    private static async IAsyncEnumerable<RunRecord> RunningAsync(Workspaces.IWorkspace workspace, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (workspace.RunSearch is not { } search)
        {
            foreach (var run in await workspace.Runs.ListRunsAsync(pageSize, cancellationToken))
            {
                yield return run;
            }

            yield break;
        }

        // A run that ends while the pages are read shifts the ones after it; the next sweep sees what this one missed.
        for (var offset = 0; ; offset += pageSize)
        {
            var page = await search.PageAsync(RunStatus.Running, null, offset, pageSize, cancellationToken);
            foreach (var id in page.RunIds)
            {
                if (await workspace.Runs.GetRunAsync(id, cancellationToken) is { } run)
                {
                    yield return run;
                }
            }

            if (page.RunIds.Count < pageSize || offset + pageSize >= page.Total)
            {
                yield break;
            }
        }
    }

    private async Task ResumeAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var activity = await grains.GetGrain<IRunGrain>(runId).ResumeAsync().WaitAsync(cancellationToken);
            LogHandedOver(logger, runId, activity.Silo);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The grain's silo may be the one that died and not yet be known dead: the next sweep tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogResumeFailed(logger, runId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the sweep for runs whose host died failed; it is tried again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "run {RunId} had no live host; handed to its grain on {Silo}")]
    private static partial void LogHandedOver(ILogger logger, string runId, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "run {RunId} could not be handed over yet: {Reason}")]
    private static partial void LogResumeFailed(ILogger logger, string runId, string reason);
}
