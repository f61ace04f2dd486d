using System.Collections.Concurrent;
using Cadre.Hosting;
using Cadre.Workspaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cadre.Orleans;

/// <summary>What the run grains and the sweeper of one silo share: the options, the <see cref="RunHost"/> that runs
/// specs (the same code as <c>cadre run</c>), the silo's stopping signal, and one open workspace — for lookups and for
/// every run driven here, so a run does not pay for a connection pool and a schema check of its own. The workspace is
/// closed when the silo's services are disposed, after the runs still driven here have stopped (or their lease has
/// passed, after which another silo takes them over anyway).</summary>
internal sealed class CadreSilo : IAsyncDisposable
{
    public const string ClusterKey = "cluster";
    public const string SpecNameKey = "cluster.spec";

    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly ConcurrentDictionary<Task, bool> _runs = new();
    private IWorkspace? _workspace;

    public CadreSilo(IOptions<CadreClusterOptions> options, IHostApplicationLifetime lifetime)
    {
        Options = options.Value;
        Host = new RunHost(Options.Host);
        Stopping = lifetime.ApplicationStopping;
        Faults = new SiloStopping(Stopping);
    }

    public CadreClusterOptions Options { get; }

    public RunHost Host { get; }

    public CancellationToken Stopping { get; }

    public SiloStopping Faults { get; }

    /// <summary>The settings of a run of <paramref name="specName"/> on this silo, in its open workspace.</summary>
    public RunHost.Settings SettingsFor(string specName, string? model, string runId, IWorkspace workspace) =>
        new(ClusterSpecs.Resolve(Options.SpecsFolder, specName), Options.Workspace, model)
        {
            OpenWorkspace = workspace,
            RunId = runId,
            LeaseDuration = Options.LeaseDuration,
            Faults = Faults,
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [ClusterKey] = Options.ClusterId, [SpecNameKey] = specName },
        };

    public async Task<IWorkspace> WorkspaceAsync(CancellationToken cancellationToken)
    {
        if (_workspace is { } open)
        {
            return open;
        }

        await _opening.WaitAsync(cancellationToken);
        try
        {
            return _workspace ??= await WorkspaceLocation.OpenAsync(Options.Host, Options.Workspace, cancellationToken);
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>Keeps the workspace open until <paramref name="run"/> (a run driven here, which never throws) ends.</summary>
    public void Track(Task run)
    {
        _runs[run] = true;
        _ = run.ContinueWith(ended => _runs.TryRemove(ended, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is { } open)
        {
            try
            {
                // The silo has stopped: its runs stop at their next safe point (SiloStopping).
                await Task.WhenAll(_runs.Keys).WaitAsync(Options.LeaseDuration, Options.Host.Time);
            }
            catch (TimeoutException)
            {
            }

            await open.DisposeAsync();
        }

        _opening.Dispose();
    }
}
