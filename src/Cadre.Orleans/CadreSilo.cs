using Cadre.Hosting;
using Cadre.Workspaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cadre.Orleans;

/// <summary>What the run grains and the sweeper of one silo share: the options, the <see cref="RunHost"/> that runs
/// specs (the same code as <c>cadre run</c>), the silo's stopping signal, and one open workspace for lookups.</summary>
internal sealed class CadreSilo : IAsyncDisposable
{
    public const string ClusterKey = "cluster";
    public const string SpecNameKey = "cluster.spec";

    private readonly SemaphoreSlim _opening = new(1, 1);
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

    /// <summary>The settings of a run of <paramref name="specName"/> on this silo.</summary>
    public RunHost.Settings SettingsFor(string specName, string? model, string runId) =>
        new(ClusterSpecs.Resolve(Options.SpecsFolder, specName), Options.Workspace, model)
        {
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

    public async ValueTask DisposeAsync()
    {
        if (_workspace is { } open)
        {
            await open.DisposeAsync();
        }

        _opening.Dispose();
    }
}
