using System.CommandLine;
using Cadre.Cli.Hosting;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre run &lt;spec|folder&gt; "&lt;task&gt;" [--model] [--workspace] [--record] [--json] [--chaos &lt;rate&gt;
/// [--seed &lt;n&gt;]] [--chaos-latency &lt;ms&gt;] [--max-tokens] [--max-cost] [--max-time] [--cluster postgres://...
/// [--cluster-id] [--detach]]</c>.</summary>
internal static class RunCommand
{
    /// <summary><c>cadre run</c>: runs a spec on a task here, or in a cluster with <c>--cluster</c>, with the live view or <c>--json</c>.</summary>
    public static Command Create(CliContext context)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file, or a folder holding cadre.yaml." };
        var task = new Argument<string>("task") { Description = "The task for the agents, in quotes." };
        var model = CommonOptions.Model();
        var workspace = CommonOptions.Workspace();
        var waitForApproval = CommonOptions.WaitForApproval();
        var json = CommonOptions.Json("Print the run as one JSON object instead of the live view.");
        var record = new Option<string?>("--record") { Description = "Record every model call into this cassette file (replay it with --model replay:<file>)." };
        var cluster = new Option<string?>("--cluster") { Description = "Submit the run to the cluster whose hosts (cadre serve) share this PostgreSQL workspace, and follow it there; the spec is named by its folder or file name in the hosts' --specs folder." };
        var clusterId = ServeCommand.ClusterId();
        var detach = new Option<bool>("--detach") { Description = "With --cluster: print the run id and return at once; the run goes on in the cluster." };
        var command = new Command("run", "Run a multi-agent workflow on a task, with a live view, a checkpoint after every step and a transcript.")
        {
            spec, task, model, workspace, record, waitForApproval, json, cluster, clusterId, detach,
        };
        var reliability = new ReliabilityOptions().AddChaosTo(command).AddBudgetTo(command);
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, () =>
            parse.GetValue(cluster) is { } url
            ? OnClusterAsync(context, parse, url, reliability, cancellationToken)
            : parse.GetValue(detach) ? throw new UsageException("--detach needs --cluster: a local run ends with the command.")
            : new ConsoleRun(context).RunAsync(
                new RunHost.Settings(parse.GetValue(spec)!, parse.GetValue(workspace)!, parse.GetValue(model), parse.GetValue(record),
                    reliability.Chaos(parse), reliability.Budget(parse)) { WaitForApproval = parse.GetValue(waitForApproval) },
                parse.GetValue(json),
                parse.GetValue(task)!,
                cancellationToken)));
        return command;

        Task<int> OnClusterAsync(CliContext context, ParseResult parse, string url, ReliabilityOptions reliability, CancellationToken cancellationToken)
        {
            if (parse.GetValue(record) is not null || parse.GetValue(waitForApproval) || reliability.Chaos(parse) is not null || reliability.Budget(parse) is not null)
            {
                throw new UsageException("--record, --wait-for-approval, chaos and budget options are for local runs; a cluster's hosts run with the spec's own settings.");
            }

            var submission = new Orleans.RunSubmission(Orleans.ClusterSpecs.NameOf(parse.GetValue(spec)!), parse.GetValue(task)!, parse.GetValue(model));
            return new ClusterRun(context).RunAsync(url, parse.GetValue(clusterId)!, submission, parse.GetValue(detach), parse.GetValue(json), cancellationToken);
        }
    }
}
