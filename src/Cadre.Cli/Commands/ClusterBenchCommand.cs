using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Cli.Hosting;
using Cadre.Memory.Benchmarks;
using Cadre.Orleans;
using Cadre.Runs;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre bench cluster --cluster postgres://... --specs &lt;folder&gt; --spec &lt;name&gt; --model &lt;m&gt;
/// [--runs 50] [--latency-runs 5] [--kill &lt;pid&gt; --kill-after &lt;ms&gt;] [--json]</c>: throughput of a running
/// cluster (<c>cadre serve</c> hosts), the added latency per step against the same runs in this process, and — with
/// <c>--kill</c> — what a host killed mid-flight costs. Not a test: the figures depend on the machine
/// (<c>bench/cluster-bench.sh</c> starts the hosts and a PostgreSQL server).</summary>
internal static class ClusterBenchCommand
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);

    /// <summary><c>cadre bench cluster</c>: runs/s and steps/s of a running cluster, the latency a step gains against an in-process run, and recovery from a killed host.</summary>
    public static Command Create(CliContext context)
    {
        var cluster = new Option<string>("--cluster") { Description = "The cluster's PostgreSQL workspace (its hosts already serving).", Required = true };
        var clusterId = ServeCommand.ClusterId();
        var specs = new Option<string>("--specs") { Description = "The hosts' specs folder (the in-process baseline loads the spec from it).", Required = true };
        var spec = new Option<string>("--spec") { Description = "The spec's name in the folder.", Required = true };
        var model = CommonOptions.Model();
        var runs = new Option<int>("--runs") { Description = "Runs submitted at once.", DefaultValueFactory = _ => 50 };
        var latencyRuns = new Option<int>("--latency-runs") { Description = "Runs one after another through the cluster and in this process, for the latency per step (0 skips it).", DefaultValueFactory = _ => 5 };
        var kill = new Option<int?>("--kill") { Description = "The process id of a host to kill (SIGKILL) while the runs are in flight." };
        var killAfter = new Option<int>("--kill-after") { Description = "Milliseconds to wait, once half the runs are recorded in the workspace, before killing it.", DefaultValueFactory = _ => 1000 };
        var effects = new Option<string>("--side-effects") { Description = "The side-effecting tools whose executions the audit log is counted for, comma-separated.", DefaultValueFactory = _ => "create_ticket,send_email" };
        var task = new Option<string>("--task") { Description = "The task of every run.", DefaultValueFactory = _ => "john@example.com was charged twice for INV-1001" };
        var json = CommonOptions.Json("Print one JSON object: runs, completed, seconds, runs_per_s, steps_per_s, latency (cluster and in-process ms per step, ratio), kill (recovered runs, recovery p50/p95 ms, executions per side effect).");
        var command = new Command("cluster", "Runs/s and steps/s of a running cluster, added latency per step against in-process runs, and recovery from a host killed mid-flight.")
        {
            cluster, clusterId, specs, spec, model, runs, latencyRuns, kill, killAfter, effects, task, json,
        };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            var url = parse.GetValue(cluster)!;
            var name = parse.GetValue(spec)!;
            var submission = new RunSubmission(name, parse.GetValue(task)!, parse.GetValue(model));
            var report = new JsonObject();
            await using var workspace = await WorkspaceLocation.OpenAsync(context.HostOptions(), url, cancellationToken);
            await using (var client = await CadreClusterClient.ConnectAsync(url, parse.GetValue(clusterId)!, context.Time, cancellationToken))
            {
                await ThroughputAsync(context, client, workspace, submission, Math.Max(1, parse.GetValue(runs)), parse.GetValue(kill), parse.GetValue(killAfter), parse.GetValue(effects)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), report, cancellationToken);
                if (parse.GetValue(latencyRuns) is > 0 and var count && parse.GetValue(kill) is null)
                {
                    var path = ClusterSpecs.Resolve(context.FullPath(parse.GetValue(specs)!), name);
                    await LatencyAsync(context, client, workspace, submission, path, url, count, report, cancellationToken);
                }
            }

            context.Out.WriteLine(parse.GetValue(json) ? report.ToJsonString(JsonOutput.Options) : Describe(report));
            return ExitCodes.Done;
        }));
        return command;
    }

    private static async Task ThroughputAsync(CliContext context, CadreClusterClient client, IWorkspace workspace, RunSubmission submission, int count, int? kill, int killAfterMs, string[] effects, JsonObject report, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = context.Time.GetUtcNow();
        DateTimeOffset? killedAt = null;
        var killing = kill is int pid ? Task.Run(async () =>
        {
            // Once half the runs are recorded (and so in flight somewhere), then after the given delay.
            while ((await workspace.Runs.ListRunsAsync(count * 4, cancellationToken)).Count(r => r.StartedAt >= started) < count / 2)
            {
                await Task.Delay(PollEvery * 5, context.Time, cancellationToken);
            }

            await Task.Delay(killAfterMs, cancellationToken);
            using var host = Process.GetProcessById(pid);
            killedAt = context.Time.GetUtcNow();
            host.Kill();
        }, cancellationToken) : Task.CompletedTask;
        // Submissions the killed host had not answered are sent again by the client (the same run ids).
        var ids = (await Task.WhenAll(Enumerable.Range(0, count).Select(_ => client.SubmitAsync(submission)))).Select(a => a.RunId).ToList();
        // A run not ended within ten minutes counts as not completed (lost, if it is not in the workspace at all).
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(10));
        var ended = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return await EndedAsync(context, workspace, id, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return await workspace.Runs.GetRunAsync(id, cancellationToken) ?? new RunRecord { Id = id, Workflow = "", Task = "", StartedAt = started, Status = RunStatus.Failed, Error = "never recorded" };
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        await killing;
        var steps = await Task.WhenAll(ids.Select(id => workspace.Runs.GetStepsAsync(id, cancellationToken)));
        var totalSteps = steps.Sum(s => s.Count);
        report["runs"] = count;
        report["completed"] = ended.Count(r => r.Status == RunStatus.Completed);
        report["seconds"] = Math.Round(seconds, 2);
        report["runs_per_s"] = Math.Round(count / seconds, 2);
        report["steps_per_s"] = Math.Round(totalSteps / seconds, 1);
        report["steps"] = totalSteps;
        if (killedAt is not { } at)
        {
            return;
        }

        // Time to recover: from the kill to the first step a run committed after it, for the runs another host took over.
        var recoveries = new List<double>();
        var executions = new Dictionary<int, int>();
        for (var i = 0; i < ids.Count; i++)
        {
            var audit = await workspace.Audit.QueryAsync(new AuditQuery { RunId = ids[i], Limit = 1000 }, cancellationToken);
            foreach (var tool in audit.Where(e => effects.Contains(e.Tool)).GroupBy(e => e.Key))
            {
                var ran = tool.Sum(e => e.Executions);
                executions[ran] = executions.GetValueOrDefault(ran) + 1;
            }

            if ((await workspace.Runs.GetLeaseAsync(ids[i], cancellationToken))?.Epoch > 1
                && steps[i].Select(s => s.StartedAt + s.Duration).Where(t => t > at).DefaultIfEmpty().Min() is var first && first > at)
            {
                recoveries.Add((first - at).TotalMilliseconds);
            }
        }

        report["kill"] = new JsonObject
        {
            ["after_ms"] = Math.Round((at - started).TotalMilliseconds),
            ["in_flight"] = ended.Count(r => r.EndedAt > at),
            ["taken_over"] = recoveries.Count,
            ["recovery_p50_ms"] = Math.Round(RetrievalScores.Percentile(recoveries, 0.50)),
            ["recovery_p95_ms"] = Math.Round(RetrievalScores.Percentile(recoveries, 0.95)),
            ["side_effects_by_executions"] = new JsonObject(executions.OrderBy(e => e.Key).Select(e => KeyValuePair.Create(e.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)e.Value))),
        };
    }

    private static async Task LatencyAsync(CliContext context, CadreClusterClient client, IWorkspace workspace, RunSubmission submission, string spec, string url, int count, JsonObject report, CancellationToken cancellationToken)
    {
        double cluster = 0, local = 0;
        var host = new RunHost(context.HostOptions());
        // One untimed run each way first: this process loads and compiles the runtime, the hosts already have.
        await EndedAsync(context, workspace, (await client.SubmitAsync(submission)).RunId, cancellationToken);
        await host.RunAsync(new RunHost.Settings(spec, url, submission.Model), submission.Task, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            var id = (await client.SubmitAsync(submission)).RunId;
            await EndedAsync(context, workspace, id, cancellationToken);
            cluster += clock.Elapsed.TotalMilliseconds / Math.Max(1, (await workspace.Runs.GetStepsAsync(id, cancellationToken)).Count);

            clock.Restart();
            var result = await host.RunAsync(new RunHost.Settings(spec, url, submission.Model), submission.Task, cancellationToken);
            local += clock.Elapsed.TotalMilliseconds / Math.Max(1, result.Run.Steps.Count);
        }

        report["latency"] = new JsonObject
        {
            ["runs"] = count,
            ["cluster_ms_per_step"] = Math.Round(cluster / count, 1),
            ["in_process_ms_per_step"] = Math.Round(local / count, 1),
            ["ratio"] = Math.Round(cluster / local, 2),
        };
    }

    private static async Task<RunRecord> EndedAsync(CliContext context, IWorkspace workspace, string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await workspace.Runs.GetRunAsync(id, cancellationToken) is { Status: not RunStatus.Running } run)
            {
                return run;
            }

            await Task.Delay(PollEvery, context.Time, cancellationToken);
        }
    }

    private static string Describe(JsonObject report)
    {
        var lines = new List<string>
        {
            $"{report["completed"]} of {report["runs"]} runs completed in {report["seconds"]} s: {report["runs_per_s"]} runs/s, {report["steps_per_s"]} steps/s ({report["steps"]} steps)",
        };
        if (report["latency"] is JsonObject latency)
        {
            lines.Add($"latency per step: {latency["cluster_ms_per_step"]} ms through the cluster, {latency["in_process_ms_per_step"]} ms in process (ratio {latency["ratio"]}, {latency["runs"]} runs each)");
        }

        if (report["kill"] is JsonObject kill)
        {
            lines.Add($"host killed after {kill["after_ms"]} ms with {kill["in_flight"]} runs unfinished: {kill["taken_over"]} runs taken over, first step after the kill p50 {kill["recovery_p50_ms"]} ms, p95 {kill["recovery_p95_ms"]} ms; side effects by executions (audit): {kill["side_effects_by_executions"]!.ToJsonString()}");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
