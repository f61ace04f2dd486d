using System.Globalization;
using Cadre.Models;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Specs;
using Cadre.Sqlite;
using Cadre.Testing;
using Cadre.Tools;
using Cadre.Workflows;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>
/// What <c>cadre run</c> and <c>cadre resume</c> share: load the spec and its tools, build the system, open the
/// workspace, run with a live view, and print the outcome. Exit codes: 0 done, 1 failed, 2 bad usage or spec.
/// </summary>
public sealed class RunHost(CliContext context)
{
    /// <summary>The options of one run.</summary>
    /// <param name="Spec">The spec file or folder.</param>
    /// <param name="Workspace">The workspace folder.</param>
    /// <param name="Model">A model spec that replaces the spec's, if given.</param>
    /// <param name="Record">A cassette to record model calls into, if given.</param>
    /// <param name="Json">Print one JSON object instead of the live view and summary.</param>
    /// <param name="Chaos">Faults and latency to inject into model and tool calls (<c>--chaos</c>), if any.</param>
    /// <param name="Budget">Caps on tokens, cost and wall time from the command line, over the spec's.</param>
    public sealed record Settings(string Spec, string Workspace, string? Model, string? Record, bool Json, ChaosOptions? Chaos = null, RunBudget? Budget = null)
    {
        /// <summary>Wait while another process holds the run, instead of refusing (<c>resume --wait</c>).</summary>
        public bool Wait { get; init; }

        /// <summary>Make calls whose outcome is unknown again, idempotent or not (<c>resume --repeat-unknown</c>): a
        /// person checked that they did not happen.</summary>
        public bool RepeatUnknown { get; init; }
    }

    /// <summary>Starts a new run of <paramref name="task"/>.</summary>
    /// <param name="settings">The run's options.</param>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the run (Ctrl+C); it can be resumed.</param>
    /// <returns>The exit code.</returns>
    public Task<int> RunAsync(Settings settings, string task, CancellationToken cancellationToken) =>
        ExecuteAsync(settings, (system, workspace, options) =>
            system.Workflow.RunAsync(task, workspace, system.RunOptionsFor(options, settings.Model), cancellationToken), "started", cancellationToken);

    /// <summary>Continues a run from its last completed step.</summary>
    /// <param name="settings">The run's options (its spec comes from the run's record when empty).</param>
    /// <param name="runId">The run's id or a unique prefix.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> ResumeAsync(Settings settings, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RunRecord run;
        await using (var workspace = await SqliteWorkspace.OpenAsync(context.FullPath(settings.Workspace), cancellationToken))
        {
            run = await RunLookup.FindAsync(workspace.Runs, runId, cancellationToken);
        }

        var spec = settings.Spec.Length > 0 ? settings.Spec : run.Metadata.GetValueOrDefault("spec")
            ?? throw new UsageException($"Run {run.Id} does not record its spec; pass it: cadre resume {run.Id} --spec <file|folder>.");
        var resumed = settings with { Spec = spec, Model = settings.Model ?? run.Metadata.GetValueOrDefault("model") };
        return await ExecuteAsync(resumed, (system, workspace, options) =>
            system.Workflow.ResumeAsync(run.Id, workspace, system.RunOptionsFor(options with { RunId = run.Id }, resumed.Model), cancellationToken), "resumed", cancellationToken);
    }

    private async Task<int> ExecuteAsync(
        Settings settings,
        Func<AgentSystem, SqliteWorkspace, RunOptions, Task<WorkflowRun>> start,
        string verb,
        CancellationToken cancellationToken)
    {
        var console = context.CreateConsole();
        var spec = SpecLoader.Load(context.FullPath(settings.Spec));
        await using var workspace = await SqliteWorkspace.OpenAsync(context.FullPath(settings.Workspace), cancellationToken);
        // A drill should not wait minutes for an injected hang: under chaos, attempts time out after 10 s (longer than
        // any injected latency) and hangs last a little longer than that.
        var attemptTimeout = settings.Chaos is { } drill ? TimeSpan.FromSeconds(10) + (drill.Latency ?? TimeSpan.Zero) : (TimeSpan?)null;
        var chaos = settings.Chaos is { } chaosOptions ? new Chaos(chaosOptions with { HangLatency = attemptTimeout!.Value + TimeSpan.FromSeconds(5) }, context.Time) : null;
        var resilience = new ResilienceOptions { Time = context.Time };
        if (attemptTimeout is { } limit)
        {
            resilience = resilience with { AttemptTimeout = limit };
        }

        if (chaos?.Jitter is { } jitter)
        {
            // --seed makes the retries' jitter repeat too, not only the faults.
            resilience = resilience with { Retry = resilience.Retry with { Randomizer = jitter } };
        }

        await using var tools = await ToolHost.LoadAsync(spec, workspace.Directory, context, cancellationToken, attemptTimeout, chaos?.Jitter);
        var loaded = tools.Registry.Tools.Where(t => spec.Chains.All(c => c.Chain.Name != t.Name)).ToList();
        using var system = AgentSystem.Build(spec, new AgentSystemOptions
        {
            Model = settings.Model,
            // Faults are injected inside each tool; the governed invoker's retries and breakers then deal with them.
            Tools = chaos is null ? loaded : chaos.Wrap(loaded),
            ToolInvoker = tools.Invoker,
            Memory = workspace.Memory.WithTime(context.Time),
            ModelOptions = new ModelOptions
            {
                BaseDirectory = settings.Model is null ? spec.Directory : context.CurrentDirectory,
                GetEnvironmentVariable = context.GetEnvironmentVariable,
                Time = context.Time,
                RecordPath = settings.Record is null ? null : context.FullPath(settings.Record),
                Chaos = chaos,
                Resilience = resilience,
            },
        });

        try
        {
            system.RunOptionsFor(new RunOptions { Budget = settings.Budget }, null).Budget?.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message + " Set workflow.price in the spec (per million input and output tokens).", ex);
        }

        IRunObserver view = settings.Json ? RunObserver.None : new LiveView(console);
        var modelNote = system.Model.Describe();

        if (chaos is not null)
        {
            modelNote += Environment.NewLine + ChaosNote(chaos.Options);
        }
        var observer = RunObserver.From(e =>
        {
            var resuming = e is RunNotice n && n.Text.StartsWith("resuming", StringComparison.Ordinal);
            if (e is RunStarted || resuming)
            {
                context.Out.WriteLine($"run {e.RunId} {verb}");
                context.Out.Flush();
                if (!settings.Json)
                {
                    console.MarkupLine($"[grey]{Markup.Escape(modelNote)}[/]");
                    if (system.Tools.Any(t => ToolDescriptor.Of(t).RequiresApproval))
                    {
                        console.MarkupLine($"[grey]{Markup.Escape(tools.Approvals)}[/]");
                    }
                }

                if (!resuming)
                {
                    return;
                }
            }

            view.OnEvent(e);
        });

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (chaos is not null)
        {
            metadata["chaos"] = ChaosNote(chaos.Options);
        }

        // CADRE_CRASH_AT=<point>:<n> makes this process kill itself at a fault point: the crash harness's real kill -9.
        var crash = context.GetEnvironmentVariable("CADRE_CRASH_AT") is { Length: > 0 } at ? CrashPlan.Parse(at) with { KillProcess = true } : null;
        var runOptions = new RunOptions
        {
            Observer = observer,
            Time = context.Time,
            Budget = settings.Budget,
            Metadata = metadata,
            Escalation = context.IsInteractive && !settings.Json ? new TerminalEscalation(console, Environment.UserName) : null,
            Faults = crash,
            RepeatUnknownOutcomes = settings.RepeatUnknown,
        };
        WorkflowRun outcome;
        var waiting = false;
        while (true)
        {
            try
            {
                outcome = await start(system, workspace, runOptions);
                break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Error.WriteLine("The run was cancelled; continue it with: cadre resume <run-id> (see: cadre runs list).");
                return ExitCodes.Failed;
            }
            catch (RunAliveException alive) when (settings.Wait)
            {
                if (!waiting)
                {
                    context.Error.WriteLine($"waiting: {alive.Message}");
                    waiting = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), context.Time, cancellationToken);
            }
            catch (RunAliveException alive)
            {
                context.Error.WriteLine($"error: {alive.Message}. Wait for it with: cadre resume {alive.Holder.RunId} --wait");
                return ExitCodes.Failed;
            }
            catch (RunSupersededException superseded)
            {
                context.Error.WriteLine($"superseded: {superseded.Message}");
                return ExitCodes.Failed;
            }
        }

        var record = await workspace.Runs.GetRunAsync(outcome.Id, CancellationToken.None)
            ?? throw new InvalidOperationException($"Run {outcome.Id} vanished from the workspace.");
        if (settings.Json)
        {
            context.Out.WriteLine(RunReport.ToJson(record, outcome.Steps).ToJsonString(JsonOutput.Options));
        }
        else
        {
            RunReport.WriteSummary(console, record, outcome.Steps);
        }

        if (outcome.Status != RunStatus.Completed)
        {
            context.Error.WriteLine($"run {outcome.Id} {RunReport.Status(outcome.Status)}: {outcome.Error}");
            return ExitCodes.Failed;
        }

        return ExitCodes.Done;
    }

    private static string ChaosNote(ChaosOptions chaos)
    {
        var parts = new List<string>();
        if (chaos.Rate > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"faults in {chaos.Rate * 100:0.#}% of model and tool calls{(chaos.Seed is int seed ? $" (seed {seed})" : "")}"));
        }

        if (chaos.Latency is { } latency)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"+{latency.TotalMilliseconds:0} ms on every model call"));
        }

        return "chaos: " + string.Join(", ", parts);
    }
}
