using Cadre.Workflows;
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
    /// <summary>How many of the latest runs a sweep looks at.</summary>
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
        var now = silo.Options.Host.Time.GetUtcNow();
        var lapsed = new List<string>();
        foreach (var run in await workspace.Runs.ListRunsAsync(Window, cancellationToken))
        {
            if (run.Status != RunStatus.Running || run.Metadata.GetValueOrDefault(CadreSilo.ClusterKey) != silo.Options.ClusterId)
            {
                continue;
            }

            var lease = await workspace.Runs.GetLeaseAsync(run.Id, cancellationToken);
            if (lease is null || lease.ExpiresAt <= now)
            {
                lapsed.Add(run.Id);
            }
        }

        await Task.WhenAll(lapsed.Select(id => ResumeAsync(id, cancellationToken)));
        return lapsed.Count;
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
