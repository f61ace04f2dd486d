using Cadre.Hosting;
using Cadre.Specs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Cadre.Orleans;

/// <summary>
/// One running silo of a Cadre cluster (<c>cadre serve</c>): the workspace's tables and the cluster's are made ready,
/// every spec's tools project is built once, and the silo joins the cluster through the workspace's PostgreSQL.
/// </summary>
public sealed partial class CadreSiloHost : IAsyncDisposable
{
    private readonly IHost _host;

    private CadreSiloHost(IHost host, IReadOnlyList<string> specs)
    {
        _host = host;
        Specs = specs;
    }

    /// <summary>The names of the specs this silo serves.</summary>
    public IReadOnlyList<string> Specs { get; }

    /// <summary>Prepares and starts a silo.</summary>
    /// <param name="options">The silo's options; the cluster's workspace and specs folder are replaced by their resolved full forms.</param>
    /// <param name="cancellationToken">Cancels the start (schema, tool builds, joining); the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The started silo; dispose it to leave the cluster.</returns>
    /// <exception cref="UsageException">The workspace is not PostgreSQL, the specs folder holds no spec, or a spec
    /// or its tools project does not load.</exception>
    public static async Task<CadreSiloHost> StartAsync(CadreSiloHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = options.Cluster;
        var context = cluster.Host;
        cluster.Workspace = WorkspaceLocation.Resolve(context, cluster.Workspace);
        try
        {
            _ = ClusterSchema.ConnectionString(cluster.Workspace);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        cluster.SpecsFolder = context.FullPath(cluster.SpecsFolder);
        var specs = ClusterSpecs.List(cluster.SpecsFolder);
        if (specs.Count == 0)
        {
            throw new UsageException($"{cluster.SpecsFolder} holds no spec (folders with a cadre.yaml, or .yaml files) for the silo to serve.");
        }

        await using (await WorkspaceLocation.OpenAsync(context, cluster.Workspace, cancellationToken))
        {
            // Opening creates or migrates the workspace's tables once, before any run does.
        }

        await ClusterSchema.EnsureAsync(cluster.Workspace, cancellationToken);
        foreach (var name in specs)
        {
            await BuildToolsAsync(context, ClusterSpecs.Resolve(cluster.SpecsFolder, name), cancellationToken);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = context.CurrentDirectory });
        builder.Logging.ClearProviders();
        if (options.Logging is { } logging)
        {
            builder.Logging.AddProvider(logging);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseCadreClustering(cluster.Workspace, cluster.ClusterId);
            silo.ConfigureEndpoints(options.Address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !options.Address.Equals(System.Net.IPAddress.Loopback));
            silo.Configure<SiloOptions>(o => o.SiloName = options.Name ?? $"{Environment.MachineName}-{options.SiloPort}");
            // A dead host is noticed within a few seconds, so its runs' grains can be placed elsewhere soon after their
            // leases lapse.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            silo.UseCadre(o =>
            {
                o.SpecsFolder = cluster.SpecsFolder;
                o.Workspace = cluster.Workspace;
                o.ClusterId = cluster.ClusterId;
                o.LeaseDuration = cluster.LeaseDuration;
                o.SweepInterval = cluster.SweepInterval;
                o.Host = context;
            });
        });
        return new CadreSiloHost(await HostLifetime.StartAsync(builder.Build(), cancellationToken), specs);
    }

    /// <summary>Leaves the cluster: runs still in progress here stop at their next safe point and are taken over by
    /// another silo once their leases lapse.</summary>
    /// <returns>A task that completes when the silo has stopped.</returns>
    public ValueTask DisposeAsync() => HostLifetime.StopAsync(_host, TimeSpan.FromSeconds(30));

    private static async Task BuildToolsAsync(CadreHostOptions context, string path, CancellationToken cancellationToken)
    {
        var spec = SpecLoader.Load(path);
        if (spec.Tools.Project is { } project)
        {
            await ToolProjectBuilder.BuildAsync(Path.GetFullPath(project.Value, spec.Directory), line => LogBuilding(context.Logger, line), context.GetEnvironmentVariable, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogBuilding(ILogger logger, string line);
}
