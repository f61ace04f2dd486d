using System.Net;
using Microsoft.Extensions.Logging;

namespace Cadre.Orleans;

/// <summary>What <c>cadre serve</c> starts: one silo of a cluster whose members meet in the workspace's PostgreSQL.</summary>
public sealed class CadreSiloHostOptions
{
    /// <summary>The specs, the shared workspace, the cluster's name, the lease.</summary>
    public CadreClusterOptions Cluster { get; set; } = new();

    /// <summary>The silo's name, shown in the cluster's membership (the machine's name and the port by default).</summary>
    public string? Name { get; set; }

    /// <summary>The address other silos and clients reach this one at (127.0.0.1 for a cluster on one machine).</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The port silos talk to each other on.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients (<c>cadre run --cluster</c>) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Receives the silo's log: Cadre's own lines from information up, Orleans' from warnings up.</summary>
    public ILoggerProvider? Logging { get; set; }
}
