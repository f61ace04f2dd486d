using Cadre.Orleans;
using Cadre.Runs;
using Cadre.Workspaces;

namespace Cadre.Cli.Hosting;

/// <summary>
/// <c>cadre run --cluster</c>: submits the run to a cluster's grain and follows it in the workspace every host writes
/// to — a line per committed step, a line when another host takes the run over, the summary at the end — or, with
/// <c>--detach</c>, prints the run id and returns. The exit code is the run's, as for a local run.
/// </summary>
/// <param name="context">Where the command runs.</param>
internal sealed class ClusterRun(CliContext context)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(300);

    /// <summary>Submits and follows a run.</summary>
    /// <param name="cluster">The cluster's workspace (<c>postgres://</c>).</param>
    /// <param name="clusterId">The cluster's name (<c>--cluster-id</c>); only hosts started with it take the run.</param>
    /// <param name="submission">The spec's name, task and model.</param>
    /// <param name="detach">Return once the run is submitted.</param>
    /// <param name="json">Print the finished run as JSON instead of the summary.</param>
    /// <param name="cancellationToken">Stops following (the run goes on in the cluster).</param>
    /// <returns>0 when the run completed, was detached, or is no longer followed because of cancellation; 1 when it ended otherwise.</returns>
    public async Task<int> RunAsync(string cluster, string clusterId, RunSubmission submission, bool detach, bool json, CancellationToken cancellationToken)
    {
        RunActivity started;
        await using (var client = await ConnectAsync(cluster, clusterId, cancellationToken))
        {
            try
            {
                started = await client.SubmitAsync(submission);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message, ex);
            }
        }

        context.Out.WriteLine($"run {started.RunId} started on {started.Silo}");
        context.Out.Flush();
        if (detach)
        {
            return ExitCodes.Done;
        }

        await using var workspace = await WorkspaceLocation.OpenAsync(context.HostOptions(), cluster, cancellationToken);
        var console = context.CreateConsole();
        var shown = 0;
        long epoch = 0;
        try
        {
            while (true)
            {
                var run = await workspace.Runs.GetRunAsync(started.RunId, cancellationToken);
                var steps = await workspace.Runs.GetStepsAsync(started.RunId, cancellationToken);
                if (await workspace.Runs.GetLeaseAsync(started.RunId, cancellationToken) is { } lease && lease.Epoch != epoch)
                {
                    if (epoch != 0 && !json)
                    {
                        context.Out.WriteLine($"  taken over by {lease.Owner} (epoch {lease.Epoch})");
                    }

                    epoch = lease.Epoch;
                }

                for (; shown < steps.Count && !json; shown++)
                {
                    var step = steps[shown];
                    var tools = step.ToolCalls.Count == 0 ? "" : " · " + string.Join(", ", step.ToolCalls.Select(c => c.Tool));
                    context.Out.WriteLine($"  step {step.Index} {step.Agent}{tools}");
                }

                if (run is not null && run.Status != RunStatus.Running)
                {
                    return Finish(console, run, steps, json);
                }

                await Task.Delay(PollEvery, context.Time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Error.WriteLine($"Stopped following; the run goes on in the cluster: cadre runs show {started.RunId} --workspace <the cluster's workspace>.");
            return ExitCodes.Done;
        }
    }

    private int Finish(Spectre.Console.IAnsiConsole console, RunRecord run, IReadOnlyList<RunStep> steps, bool json)
    {
        if (json)
        {
            context.Out.WriteLine(RunReport.ToJson(run, steps).ToJsonString(JsonOutput.Options));
        }
        else
        {
            RunView.WriteSummary(console, run, steps);
        }

        if (run.Status != RunStatus.Completed)
        {
            context.Error.WriteLine($"run {run.Id} {RunReport.Status(run.Status)}: {run.Error}");
            return ExitCodes.Failed;
        }

        return ExitCodes.Done;
    }

    private async Task<CadreClusterClient> ConnectAsync(string cluster, string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            return await CadreClusterClient.ConnectAsync(cluster, clusterId, context.Time, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new WorkspaceException($"No host of cluster '{clusterId}' answers ({ex.Message}). Start one with: cadre serve --workspace <postgres://...> --specs <folder>.", ex);
        }
    }
}
