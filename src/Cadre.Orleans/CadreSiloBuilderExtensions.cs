using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Cadre.Orleans;

/// <summary>Makes an Orleans silo a Cadre host.</summary>
public static class CadreSiloBuilderExtensions
{
    /// <summary>Serves Cadre runs from this silo: the run grains, and the sweeper that resumes runs whose host died.
    /// Clustering is separate (<see cref="UseCadreClustering"/> on the workspace's PostgreSQL, or a test cluster's).</summary>
    /// <param name="builder">The silo being built; the run grains' service and the sweeper are added to its services.</param>
    /// <param name="configure">Sets the specs folder and the workspace (both required).</param>
    /// <returns>The silo, for chaining.</returns>
    public static ISiloBuilder UseCadre(this ISiloBuilder builder, Action<CadreClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<CadreClusterOptions>().Configure(configure).Validate(
            o => o.SpecsFolder.Length > 0 && o.Workspace.Length > 0 && o.LeaseDuration > TimeSpan.Zero && o.SweepInterval > TimeSpan.Zero,
            "Cadre needs a specs folder, a workspace, and a positive lease and sweep interval.");
        builder.Services.AddSingleton<CadreSilo>();
        builder.Services.AddHostedService<RunSweeper>();
        return builder;
    }

    /// <summary>Joins the cluster whose members are listed in the workspace's PostgreSQL (Orleans' ADO.NET clustering);
    /// the tables it needs must exist (<see cref="ClusterSchema.EnsureAsync"/>).</summary>
    /// <param name="builder">The silo being built; its cluster and service ids are set to <paramref name="clusterId"/>.</param>
    /// <param name="workspace">The workspace's <c>postgres://</c> URL.</param>
    /// <param name="clusterId">The cluster's name; silos and clients with the same name form one cluster.</param>
    /// <returns>The silo, for chaining.</returns>
    public static ISiloBuilder UseCadreClustering(this ISiloBuilder builder, string workspace, string clusterId = "cadre")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connection = ClusterSchema.ConnectionString(workspace);
        builder.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
        return builder.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterSchema.Invariant, connection));
    }
}
