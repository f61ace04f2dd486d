using Cadre.Observability;
using Cadre.Tools;
using Cadre.Workflows;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>
/// What <c>cadre run</c>, <c>cadre resume</c> and <c>cadre dlq retry</c> add to <see cref="RunHost"/>: the live
/// view, the person at the terminal for escalations, the summary or the <c>--json</c> object, and the exit code
/// (0 done, 1 failed, 2 bad usage or spec).
/// </summary>
/// <param name="context">Where the command runs.</param>
internal sealed class ConsoleRun(CliContext context)
{
    /// <summary>Starts a new run of <paramref name="task"/>.</summary>
    /// <param name="settings">The spec, the workspace and the run's options; the observer and escalation handler are
    /// replaced by the command's.</param>
    /// <param name="json">Print one JSON object instead of the live view and summary.</param>
    /// <param name="task">What to do, in the user's words.</param>
    /// <param name="cancellationToken">Cancels the run (Ctrl+C); it can be resumed.</param>
    /// <returns>0 when the run completed; 1 when it did not (failed, cancelled, dead-lettered, waiting), the reason on standard error.</returns>
    public Task<int> RunAsync(RunHost.Settings settings, bool json, string task, CancellationToken cancellationToken) =>
        ExecuteAsync(json, "started", s => new RunHost(context.HostOptions()).RunAsync(s, task, cancellationToken), settings, cancellationToken);

    /// <summary>Continues a run from its last completed step.</summary>
    /// <param name="settings">The run's options (its spec comes from the run's record when empty).</param>
    /// <param name="json">Print one JSON object instead of the live view and summary.</param>
    /// <param name="runId">The run's id or a unique prefix.</param>
    /// <param name="cancellationToken">Cancels the run; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>0 when the run completed; 1 when it did not (failed, cancelled, dead-lettered, waiting), the reason on standard error.</returns>
    public Task<int> ResumeAsync(RunHost.Settings settings, bool json, string runId, CancellationToken cancellationToken) =>
        ExecuteAsync(json, "resumed", s => new RunHost(context.HostOptions()).ResumeAsync(s, runId, cancellationToken), settings, cancellationToken);

    /// <summary>Retries a dead letter by resuming its run.</summary>
    /// <param name="settings">The workspace and the run's options; the spec and model default to those the run recorded.</param>
    /// <param name="json">Print one JSON object instead of the live view and summary.</param>
    /// <param name="deadLetterId">The dead letter's id or a unique prefix.</param>
    /// <param name="cancellationToken">Cancels the run; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>0 when the run completed; 1 when it did not (failed, cancelled, dead-lettered, waiting), the reason on standard error.</returns>
    public Task<int> RetryAsync(RunHost.Settings settings, bool json, string deadLetterId, CancellationToken cancellationToken) =>
        ExecuteAsync(json, "resumed", s => new RunHost(context.HostOptions()).RetryDeadLetterAsync(s, deadLetterId, cancellationToken), settings, cancellationToken);

    private async Task<int> ExecuteAsync(bool json, string verb, Func<RunHost.Settings, Task<RunResult>> start, RunHost.Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var console = context.CreateConsole();
        IRunObserver view = json ? RunObserver.None : new LiveView(console);
        RunResult result;
        try
        {
            result = await start(settings with
            {
                Observe = setup => RunObserver.From(e =>
                {
                    var resuming = e is RunNotice n && n.Text.StartsWith("resuming", StringComparison.Ordinal);
                    if (e is RunStarted || resuming)
                    {
                        context.Out.WriteLine($"run {e.RunId} {verb}");
                        context.Out.Flush();
                        if (!json)
                        {
                            console.MarkupLine($"[grey]{Markup.Escape(setup.Model)}[/]");
                            if (setup.System.Tools.Any(t => ToolDescriptor.Of(t).RequiresApproval))
                            {
                                console.MarkupLine($"[grey]{Markup.Escape(setup.Approvals)}[/]");
                            }
                        }

                        if (!resuming)
                        {
                            return;
                        }
                    }

                    view.OnEvent(e);
                }),
                Escalation = context.IsInteractive && !json ? new TerminalEscalation(console, Environment.UserName) : null,
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Error.WriteLine("The run was cancelled; continue it with: cadre resume <run-id> (see: cadre runs list).");
            return ExitCodes.Failed;
        }

        var (outcome, record) = result;
        if (json)
        {
            context.Out.WriteLine(result.ToJson().ToJsonString(JsonOutput.Options));
        }
        else
        {
            RunView.WriteSummary(console, record, outcome.Steps);
        }

        if (outcome.Status != Runs.RunStatus.Completed)
        {
            context.Error.WriteLine($"run {outcome.Id} {RunReport.Status(outcome.Status)}: {outcome.Error}");
            return ExitCodes.Failed;
        }

        return ExitCodes.Done;
    }
}
