using System.CommandLine;
using System.Net;
using Cadre.Cli.Hosting;
using Cadre.Orleans;
using Microsoft.Extensions.Logging;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre serve --workspace postgres://... --specs &lt;folder&gt; [--silo-port 11111] [--gateway-port 30000]
/// [--name] [--address 127.0.0.1] [--cluster-id cadre] [--lease 15]</c>: one host of a cluster.</summary>
internal static class ServeCommand
{
    /// <summary><c>cadre serve</c>: a cluster host that runs submitted runs and takes over those of hosts that die, until cancelled.</summary>
    public static Command Create(CliContext context)
    {
        var workspace = CommonOptions.Workspace();
        var specs = new Option<string>("--specs") { Description = "The folder of specs this host serves (folders with a cadre.yaml, or .yaml files); cadre run --cluster names one of them.", Required = true };
        var siloPort = new Option<int>("--silo-port") { Description = "The port hosts talk to each other on.", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "The port cadre run --cluster connects to.", DefaultValueFactory = _ => 30000 };
        var name = new Option<string?>("--name") { Description = "The host's name in the cluster (machine name and silo port by default)." };
        var address = new Option<string>("--address") { Description = "The address other hosts and clients reach this one at; 127.0.0.1 for a cluster on one machine.", DefaultValueFactory = _ => "127.0.0.1" };
        var clusterId = ClusterId();
        var lease = new Option<double>("--lease") { Description = "Seconds a run's lease lasts without a heartbeat: a dead host's runs are taken over after about this long.", DefaultValueFactory = _ => 15 };
        var command = new Command("serve", "Run a host of a cluster: it joins the other hosts through the PostgreSQL workspace, runs the runs submitted with cadre run --cluster, and takes over the runs of a host that dies.")
        {
            workspace, specs, siloPort, gatewayPort, name, address, clusterId, lease,
        };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(address), out var ip))
            {
                throw new UsageException($"--address '{parse.GetValue(address)}' is not an IP address (127.0.0.1, 10.0.0.5).");
            }

            var seconds = parse.GetValue(lease);
            if (seconds is <= 0 or > 3600)
            {
                throw new UsageException("--lease must be between 0 and 3600 seconds.");
            }

            var host = context.HostOptions();
            var options = new CadreSiloHostOptions
            {
                Cluster = new CadreClusterOptions
                {
                    SpecsFolder = parse.GetValue(specs)!,
                    Workspace = parse.GetValue(workspace)!,
                    ClusterId = parse.GetValue(clusterId)!,
                    LeaseDuration = TimeSpan.FromSeconds(seconds),
                    SweepInterval = TimeSpan.FromSeconds(Math.Clamp(seconds / 3, 0.2, 5)),
                    Host = host,
                },
                Name = parse.GetValue(name),
                Address = ip,
                SiloPort = parse.GetValue(siloPort),
                GatewayPort = parse.GetValue(gatewayPort),
                Logging = new TextWriterLoggerProvider(context.Error, LogLevel.Information, "serve: "),
            };
            await using var silo = await CadreSiloHost.StartAsync(options, cancellationToken);
            context.Out.WriteLine($"serving {string.Join(", ", silo.Specs)} from {options.Cluster.SpecsFolder} at {ip}:{options.SiloPort} (clients: {options.GatewayPort}), cluster '{options.Cluster.ClusterId}'");
            context.Out.WriteLine("ready (Ctrl+C leaves the cluster; its runs are taken over by the other hosts)");
            context.Out.Flush();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.Time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    /// <summary>A new <c>--cluster-id</c> option, default <c>cadre</c>: hosts and clients with the same name on one
    /// database form a cluster.</summary>
    public static Option<string> ClusterId() => new("--cluster-id")
    {
        Description = "The cluster's name: hosts and clients with the same name on the same database form one cluster.",
        DefaultValueFactory = _ => "cadre",
    };
}
