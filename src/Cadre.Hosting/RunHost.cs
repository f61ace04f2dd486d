using System.Globalization;
using Cadre.Embeddings;
using Cadre.Models;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Specs;
using Cadre.Testing;
using Cadre.Tools;
using Cadre.Workflows;
using Cadre.Workspaces;

namespace Cadre.Hosting;

/// <summary>
/// Runs a spec the way <c>cadre run</c>, <c>cadre resume</c> and <c>cadre dlq retry</c> do, from any host: load the
/// spec and its tools, build the system, open the workspace, run, and return the outcome with its record. The
/// <c>cadre</c> command adds the live view and the exit codes; a web host or a silo uses it as it is
/// (<see cref="CadreServiceCollectionExtensions.AddCadre"/>).
/// </summary>
/// <param name="context">Where specs run: folder, environment, clock, logger, approver.</param>
public sealed partial class RunHost(CadreHostOptions context)
{
    /// <summary>The options of one run.</summary>
    /// <param name="Spec">The spec file, or a folder holding <c>cadre.yaml</c>; relative to the host's <see cref="CadreHostOptions.CurrentDirectory"/>.</param>
    /// <param name="Workspace">The <c>--workspace</c> value: a folder, or a PostgreSQL URL or connection string (see <see cref="WorkspaceLocation"/>); not opened when <see cref="OpenWorkspace"/> is set.</param>
    /// <param name="Model">A model spec that replaces the spec's, if given.</param>
    /// <param name="Record">A cassette to record model calls into, if given.</param>
    /// <param name="Chaos">Faults and latency to inject into model and tool calls (<c>--chaos</c>), if any.</param>
    /// <param name="Budget">Caps on tokens, cost and wall time, over the spec's.</param>
    public sealed record Settings(string Spec, string Workspace, string? Model = null, string? Record = null, ChaosOptions? Chaos = null, RunBudget? Budget = null)
    {
        /// <summary>Makes the run's observer once the system is built (the command's live view), if set.</summary>
        public Func<RunSetup, IRunObserver>? Observe { get; init; }

        /// <summary>Who answers escalations (a person at a terminal), if anyone; they wait in the checkpoint otherwise.</summary>
        public IEscalationHandler? Escalation { get; init; }

        /// <summary>True to leave calls that need approval to a person who may not be there yet: each becomes a request
        /// in the workspace (<see cref="ApprovalQueue"/>) and the run stops as <see cref="RunStatus.WaitingForApproval"/>
        /// until it is decided (<c>cadre approvals</c>, <c>cadre dashboard</c>). A run resumed while waiting always
        /// does this, so the decisions made meanwhile are the ones that count.</summary>
        public bool WaitForApproval { get; init; }

        /// <summary>Wait while another process holds the run, instead of refusing (<c>resume --wait</c>).</summary>
        public bool Wait { get; init; }

        /// <summary>Make calls whose outcome is unknown again, idempotent or not (<c>resume --repeat-unknown</c>): a
        /// person checked that they did not happen.</summary>
        public bool RepeatUnknown { get; init; }

        /// <summary>The new run's id (a cluster names the run before it starts, so its grain can be found); a new one
        /// when null. Ignored by <see cref="ResumeAsync"/>, which takes the id it is given.</summary>
        public string? RunId { get; init; }

        /// <summary>How long the run's lease lasts without a heartbeat (renewed every third of it); 15 s when null. A host
        /// that dies leaves its runs to others once this has passed, so a cluster uses a few seconds.</summary>
        public TimeSpan? LeaseDuration { get; init; }

        /// <summary>Where the runtime reports reaching a fault point (a silo that stops makes its runs "die" there);
        /// <c>CADRE_CRASH_AT</c>'s crash plan when null.</summary>
        public IFaultInjector? Faults { get; init; }

        /// <summary>What the host records with a new run besides spec and model (the cluster it was submitted to).</summary>
        public IReadOnlyDictionary<string, string>? Metadata { get; init; }

        /// <summary>An open workspace to run in instead of opening <see cref="Workspace"/> for this run: a host that runs
        /// many runs (a silo) opens its workspace once — one connection pool, one schema check — and shares it. The
        /// caller owns it: the run leaves it open, and the caller disposes it once no run uses it.</summary>
        public IWorkspace? OpenWorkspace { get; init; }
    }

    /// <summary>Starts a new run of <paramref name="task"/>.</summary>
    /// <param name="settings">The spec, the workspace and the run's options.</param>
    /// <param name="task">What to do, in the user's words; recorded as the run's task.</param>
    /// <param name="cancellationToken">Cancels the run (Ctrl+C); it can be resumed.</param>
    /// <returns>The run and its record.</returns>
    /// <exception cref="SpecException">The spec, its tools or its approval policy cannot be loaded.</exception>
    /// <exception cref="UsageException">The budget caps cost but the spec prices no tokens.</exception>
    public Task<RunResult> RunAsync(Settings settings, string task, CancellationToken cancellationToken) =>
        ExecuteAsync(settings, (system, workspace, options) =>
            system.Workflow.RunAsync(task, workspace, system.RunOptionsFor(options, settings.Model), cancellationToken), "started", cancellationToken);

    /// <summary>Continues a run from its last completed step.</summary>
    /// <param name="settings">The run's options (its spec comes from the run's record when empty).</param>
    /// <param name="runId">The run's id or a unique prefix.</param>
    /// <param name="cancellationToken">Cancels the run; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The run and its record.</returns>
    /// <exception cref="UsageException">No run matches, or it records no spec and none is given.</exception>
    public async Task<RunResult> ResumeAsync(Settings settings, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RunRecord run;
        await using (var workspace = await UseWorkspaceAsync(settings, null, cancellationToken))
        {
            run = await RunLookup.FindAsync(workspace.Workspace.Runs, runId, cancellationToken);
        }

        var spec = settings.Spec.Length > 0 ? settings.Spec : run.Metadata.GetValueOrDefault("spec")
            ?? throw new UsageException($"Run {run.Id} does not record its spec; pass it: cadre resume {run.Id} --spec <file|folder>.");
        var model = settings.Model ?? run.Metadata.GetValueOrDefault("model");
        if (settings.Model is null && model is not null && model.Contains(":***@", StringComparison.Ordinal))
        {
            throw new UsageException($"Run {run.Id} was started with a model whose URL holds credentials, which are not stored; give it again: cadre resume {run.Id} --model <model>.");
        }

        var resumed = settings with
        {
            Spec = spec,
            Model = model,
            WaitForApproval = settings.WaitForApproval || run.Status == RunStatus.WaitingForApproval,
        };
        return await ExecuteAsync(resumed, (system, workspace, options) =>
            system.Workflow.ResumeAsync(run.Id, workspace, system.RunOptionsFor(options with { RunId = run.Id }, resumed.Model), cancellationToken), "resumed", cancellationToken);
    }

    private async Task<RunResult> ExecuteAsync(
        Settings settings,
        Func<AgentSystem, IWorkspace, RunOptions, Task<WorkflowRun>> start,
        string verb,
        CancellationToken cancellationToken)
    {
        var spec = SpecLoader.Load(context.FullPath(settings.Spec));
        await using var use = await UseWorkspaceAsync(settings, WorkspaceLocation.FromSpec(spec), cancellationToken);
        var workspace = use.Workspace;
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

        await using var tools = await ToolHost.LoadAsync(spec, WorkspaceLocation.FolderFor(context, workspace), context, cancellationToken, attemptTimeout, settings.WaitForApproval, chaos?.Jitter);
        var loaded = tools.Registry.Tools.Where(t => spec.Chains.All(c => c.Chain.Name != t.Name)).ToList();
        using var system = AgentSystem.Build(spec, new AgentSystemOptions
        {
            Model = settings.Model,
            // Faults are injected inside each tool; the governed invoker's retries and breakers then deal with them.
            Tools = chaos is null ? loaded : chaos.Wrap(loaded),
            ToolInvoker = tools.Invoker,
            Memory = workspace.Memory.WithEmbeddings(EmbeddingCatalog.Parse(spec.Memory.Embeddings, new ModelOptions { GetEnvironmentVariable = context.GetEnvironmentVariable })).WithTime(context.Time),
            ModelOptions = HostedModels.AddTo(
                new ModelOptions
                {
                    BaseDirectory = settings.Model is null ? spec.Directory : context.CurrentDirectory,
                    GetEnvironmentVariable = context.GetEnvironmentVariable,
                    Time = context.Time,
                    Resilience = resilience,
                },
                settings.Record is null ? null : context.FullPath(settings.Record),
                chaos),
        });

        try
        {
            system.RunOptionsFor(new RunOptions { Budget = settings.Budget }, null).Budget?.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message + " Set workflow.price in the spec (per million input and output tokens).", ex);
        }

        var modelNote = system.Model.Describe();
        if (chaos is not null)
        {
            modelNote += Environment.NewLine + ChaosNote(chaos.Options);
        }

        var observer = settings.Observe?.Invoke(new RunSetup(system, modelNote, tools.Approvals)) ?? RunObserver.None;
        var metadata = new Dictionary<string, string>(settings.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (chaos is not null)
        {
            metadata["chaos"] = ChaosNote(chaos.Options);
        }

        // CADRE_CRASH_AT=<point>:<n> makes this process kill itself at a fault point: the crash harness's real kill -9.
        var crash = context.GetEnvironmentVariable("CADRE_CRASH_AT") is { Length: > 0 } at ? CrashPlan.Parse(at) with { KillProcess = true } : null;
        var runOptions = new RunOptions
        {
            RunId = settings.RunId,
            LeaseDuration = settings.LeaseDuration ?? new RunOptions().LeaseDuration,
            Observer = observer,
            Time = context.Time,
            Budget = settings.Budget,
            Metadata = metadata,
            Escalation = settings.Escalation,
            Faults = settings.Faults ?? crash,
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
            catch (RunAliveException alive) when (settings.Wait)
            {
                if (!waiting)
                {
                    HostLog.RunWaiting(context.Logger, alive.Message);
                    waiting = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), context.Time, cancellationToken);
            }
        }

        var record = await workspace.Runs.GetRunAsync(outcome.Id, CancellationToken.None)
            ?? throw new InvalidOperationException($"Run {outcome.Id} vanished from the workspace.");
        HostLog.RunEnded(context.Logger, outcome.Id, spec.Name, verb, outcome.Status, outcome.Steps.Count);
        return new RunResult(outcome, record);
    }

    private async Task<WorkspaceUse> UseWorkspaceAsync(Settings settings, string? specWorkspace, CancellationToken cancellationToken) =>
        settings.OpenWorkspace is { } open ? new(open, Owned: false)
            : new(await WorkspaceLocation.OpenAsync(context, settings.Workspace, cancellationToken, specWorkspace), Owned: true);

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

    // The workspace of one call: the settings' open one, left open for its owner, or one opened for this call alone.
    private sealed record WorkspaceUse(IWorkspace Workspace, bool Owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owned ? Workspace.DisposeAsync() : ValueTask.CompletedTask;
    }
}
