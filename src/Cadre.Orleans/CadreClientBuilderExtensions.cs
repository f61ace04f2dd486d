using Orleans.Configuration;

namespace Cadre.Orleans;

/// <summary>Connects an Orleans client to a Cadre cluster.</summary>
public static class CadreClientBuilderExtensions
{
    /// <summary>Finds the cluster's gateways in the workspace's PostgreSQL (Orleans' ADO.NET clustering).</summary>
    /// <param name="builder">The Orleans client being built; its cluster and service ids are set to <paramref name="clusterId"/>.</param>
    /// <param name="workspace">The workspace's <c>postgres://</c> URL.</param>
    /// <param name="clusterId">The cluster's name (the silos' <c>--cluster-id</c>).</param>
    /// <returns>The client, for chaining.</returns>
    public static IClientBuilder UseCadreClustering(this IClientBuilder builder, string workspace, string clusterId = "cadre")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connection = ClusterSchema.ConnectionString(workspace);
        builder.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
        return builder.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterSchema.Invariant, connection));
    }
}
