using Cadre.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Cadre.Orleans;

/// <summary>A connection to a Cadre cluster (<c>cadre run --cluster</c>): submits runs to their grains. What a run does
/// is read from the workspace, which every silo writes to.</summary>
public sealed class CadreClusterClient : IAsyncDisposable
{
    private const int SubmitAttempts = 8;
    private readonly IHost _host;

    private CadreClusterClient(IHost host, TimeProvider time)
    {
        _host = host;
        Time = time;
    }

    private TimeProvider Time { get; }

    private IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects to the cluster whose silos meet in the workspace's PostgreSQL.</summary>
    /// <param name="workspace">The workspace's <c>postgres://</c> URL.</param>
    /// <param name="clusterId">The cluster's name (the silos' <c>--cluster-id</c>); only silos started with it are reached.</param>
    /// <param name="time">The clock run ids are made from.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>A connected client; dispose it to disconnect.</returns>
    /// <exception cref="ArgumentException">The workspace is not PostgreSQL.</exception>
    public static async Task<CadreClusterClient> ConnectAsync(string workspace, string clusterId, TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseCadreClustering(workspace, clusterId));
        // A submission is answered once its run is recorded (a second or so); one that is not (its host just died) is
        // sent again (SubmitAsync).
        builder.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(20));
        return new CadreClusterClient(await HostLifetime.StartAsync(builder.Build(), cancellationToken), time);
    }

    /// <summary>Submits a run; it starts on a silo at once and goes on there. A submission that gets no answer (its
    /// host died, the cluster is changing) is sent again under the same run id, which cannot start the run twice.</summary>
    /// <param name="submission">The spec's name, the task, the model.</param>
    /// <param name="runId">The run's id; a new one when null (submitting the same id again does not run it twice).</param>
    /// <returns>The grain's answer: the run id and the silo that drives it.</returns>
    /// <exception cref="ArgumentException">The cluster serves no such spec, or the task is empty.</exception>
    public async Task<RunActivity> SubmitAsync(RunSubmission submission, string? runId = null)
    {
        var id = runId ?? RunIds.New(Time);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Client.GetGrain<IRunGrain>(id).StartAsync(submission);
            }
            catch (Exception ex) when (attempt < SubmitAttempts && ex is TimeoutException or OrleansException)
            {
                // Sent again, after the client has had time to drop a dead gateway: the grain is keyed by the run id,
                // and a run the workspace already has is continued, not restarted.
                await Task.Delay(TimeSpan.FromSeconds(attempt), Time);
            }
        }
    }

    /// <summary>Asks a run's grain what it is doing.</summary>
    /// <param name="runId">The run's full id (not a prefix); asking about an id never submitted activates an idle grain
    /// for it.</param>
    /// <returns>What the grain is doing now; <see cref="RunActivity.Driving"/> is false once the run ended here.</returns>
    public Task<RunActivity> GetActivityAsync(string runId) => Client.GetGrain<IRunGrain>(runId).GetActivityAsync();

    /// <summary>Disconnects from the cluster; the runs submitted go on there.</summary>
    /// <returns>A task that completes when the client has stopped, waiting at most 10 seconds.</returns>
    public ValueTask DisposeAsync() => HostLifetime.StopAsync(_host, TimeSpan.FromSeconds(10));
}
