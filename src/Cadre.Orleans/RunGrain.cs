using Cadre.Hosting;
using Cadre.Resilience;
using Cadre.Workflows;
using Microsoft.Extensions.Logging;

namespace Cadre.Orleans;

/// <summary>
/// Drives one run through <see cref="RunHost"/> — the same code as <c>cadre run</c> and <c>cadre resume</c> — on a task
/// of its own, so calls return at once; a keep-alive timer holds the activation while the run goes on. The run's
/// lease and epoch in the workspace stay the guard: a second activation (or a process outside the cluster) that
/// tries to drive the same run is refused by the claim or stopped by the fence.
/// </summary>
internal sealed partial class RunGrain(CadreSilo silo, ILocalSiloDetails local, ILogger<RunGrain> logger) : Grain, IRunGrain
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecordPoll = TimeSpan.FromMilliseconds(20);
    private Task? _work;
    private IGrainTimer? _keepAlive;
    private string? _outcome;

    private string RunId => this.GetPrimaryKeyString();

    public async Task<RunActivity> StartAsync(RunSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.Task);
        var settings = silo.SettingsFor(submission.Spec, submission.Model, RunId);
        if (_work is null)
        {
            var workspace = await silo.WorkspaceAsync(silo.Stopping);
            var id = RunId;
            if (await workspace.Runs.GetRunAsync(id, silo.Stopping) is null)
            {
                Drive(() => silo.Host.RunAsync(settings, submission.Task, CancellationToken.None));
                await RecordedAsync(workspace, id);
            }
            else
            {
                Drive(() => silo.Host.ResumeAsync(settings, id, CancellationToken.None));
            }
        }

        return Activity();
    }

    // A submission is answered once the run is in the workspace: from then on a silo that dies leaves it to the
    // others' sweepers. A client that gets no answer sends it again (the same run id), which cannot start it twice.
    private async Task RecordedAsync(Workspaces.IWorkspace workspace, string id)
    {
        while (await workspace.Runs.GetRunAsync(id, silo.Stopping) is null)
        {
            if (_work is { IsCompleted: true })
            {
                throw new InvalidOperationException($"Run {id} could not start: {_outcome}");
            }

            await Task.Delay(RecordPoll, silo.Options.Host.Time, silo.Stopping);
        }
    }

    public async Task<RunActivity> ResumeAsync()
    {
        if (_work is null && !silo.Stopping.IsCancellationRequested)
        {
            var workspace = await silo.WorkspaceAsync(silo.Stopping);
            var run = await workspace.Runs.GetRunAsync(RunId, silo.Stopping)
                ?? throw new ArgumentException($"The workspace has no run '{RunId}'.");
            var specName = run.Metadata.GetValueOrDefault(CadreSilo.SpecNameKey)
                ?? throw new ArgumentException($"Run {RunId} was not submitted to a cluster; resume it with cadre resume.");
            var settings = silo.SettingsFor(specName, null, RunId);
            var id = RunId;
            Drive(() => silo.Host.ResumeAsync(settings, id, CancellationToken.None));
        }

        return Activity();
    }

    public Task<RunActivity> GetActivityAsync() => Task.FromResult(Activity());

    private RunActivity Activity() => new(RunId, local.SiloAddress.ToString(), _work is { IsCompleted: false }, _outcome);

    // The run is driven off the grain's scheduler: its steps do not hold the activation's turn, and the activation's
    // calls (a status query, a second submission) are answered while it works.
    private void Drive(Func<Task<RunResult>> run)
    {
        _outcome = null;
        var id = RunId;
        _work = Task.Run(async () =>
        {
            try
            {
                var result = await run();
                _outcome = result.Run.Status.ToString().ToLowerInvariant();
            }
            catch (CrashException ex)
            {
                _outcome = "stopped: " + ex.Message;
            }
            catch (RunAliveException ex)
            {
                _outcome = "held: " + ex.Message;
            }
            catch (RunSupersededException ex)
            {
                _outcome = "superseded: " + ex.Message;
            }
#pragma warning disable CA1031 // The run's record says what failed; the grain only reports it and lets the activation go.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _outcome = "error: " + ex.Message;
                LogRunFailed(logger, id, ex);
            }
        });
        _keepAlive ??= this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions(CheckEvery, CheckEvery) { KeepAlive = true, Interleave = true });
    }

    private Task CheckAsync(CancellationToken cancellationToken)
    {
        if (_work is { IsCompleted: true })
        {
            _work = null;
            _keepAlive?.Dispose();
            _keepAlive = null;
            LogRunLeft(logger, RunId, _outcome ?? "");
            this.DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "run {RunId} failed on this silo")]
    private static partial void LogRunFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "run {RunId} left this silo: {Outcome}")]
    private static partial void LogRunLeft(ILogger logger, string runId, string outcome);
}
