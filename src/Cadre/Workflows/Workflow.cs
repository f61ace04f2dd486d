using Cadre.Agents;
using Cadre.Observability;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>
/// A way for agents to work on a task together. A run is a sequence of steps — one agent turn each — on a shared
/// thread; after every step the step, the messages it added and the workflow's state are written to the workspace
/// in one transaction, so <see cref="ResumeAsync"/> continues a crashed or cancelled run from its last completed
/// step.
/// </summary>
public abstract class Workflow
{
    private readonly Dictionary<string, Agent> _agents;

    /// <summary>Creates a workflow over <paramref name="agents"/>.</summary>
    /// <param name="agents">The agents; their names must be unique.</param>
    protected Workflow(IReadOnlyList<Agent> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Count == 0)
        {
            throw new ArgumentException("A workflow needs at least one agent.", nameof(agents));
        }

        var duplicate = agents.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two agents are named '{duplicate.Key}'; agent names must be unique.", nameof(agents));
        }

        Agents = agents;
        _agents = agents.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>The workflow's kind, as recorded with its runs (<c>sequential</c>, <c>handoff</c>, ...).</summary>
    public abstract string Kind { get; }

    /// <summary>The agents.</summary>
    public IReadOnlyList<Agent> Agents { get; }

    /// <summary>A pipeline: each agent works in turn on the thread, the last one answers.</summary>
    /// <param name="agents">The agents, in order.</param>
    /// <returns>The workflow.</returns>
    public static SequentialWorkflow Sequential(params IReadOnlyList<Agent> agents) => new(agents);

    /// <summary>Handoff: <paramref name="start"/> takes the task and may hand the thread to a specialist, who may
    /// hand it on; whoever answers without handing off ends the run.</summary>
    /// <param name="start">The first agent (triage, L1).</param>
    /// <param name="specialists">The agents it may hand to.</param>
    /// <returns>The workflow.</returns>
    public static HandoffWorkflow Handoff(Agent start, params IReadOnlyList<Agent> specialists) => new(start, specialists);

    /// <summary>Finds an agent of this workflow by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The agent.</returns>
    /// <exception cref="ArgumentException">No agent has that name.</exception>
    public Agent GetAgent(string name) =>
        _agents.TryGetValue(name, out var agent)
            ? agent
            : throw new ArgumentException($"The workflow has no agent named '{name}'. Agents: {string.Join(", ", _agents.Keys)}.", nameof(name));

    /// <summary>Runs the workflow on a task.</summary>
    /// <param name="task">The task, as the user wrote it.</param>
    /// <param name="workspace">Where runs, steps and threads are recorded.</param>
    /// <param name="options">Run id, observer, clock, limits.</param>
    /// <param name="cancellationToken">Cancels the run; it is recorded as cancelled and can be resumed.</param>
    /// <returns>The run's outcome. A failure is an outcome with <see cref="RunStatus.Failed"/> and its reason, not an
    /// exception; only cancellation throws.</returns>
    public async Task<WorkflowRun> RunAsync(string task, IWorkspace workspace, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        ArgumentNullException.ThrowIfNull(workspace);
        options ??= new RunOptions();
        var runId = options.RunId ?? RunIds.New(options.Time);
        var run = new RunRecord
        {
            Id = runId,
            Workflow = Kind,
            Task = task,
            StartedAt = options.Time.GetUtcNow(),
            Metadata = options.Metadata,
        };
        var thread = new List<ChatMessage> { new(ChatRole.User, task) };
        var state = InitialState(task);
        await workspace.Runs.CreateRunAsync(run, thread, state, cancellationToken);
        options.Observer.OnEvent(new RunStarted(runId, run.StartedAt, Kind, task));
        return await ContinueAsync(workspace, run, thread, state, options, cancellationToken);
    }

    /// <summary>Continues a run from its last completed step (after a crash, a kill or a cancellation). A finished
    /// run is returned as it is.</summary>
    /// <param name="runId">The run's id (or a unique prefix).</param>
    /// <param name="workspace">The workspace that holds the run.</param>
    /// <param name="options">Observer, clock, limits (the run id is taken from <paramref name="runId"/>).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run's outcome.</returns>
    /// <exception cref="KeyNotFoundException">The workspace has no such run.</exception>
    /// <exception cref="InvalidOperationException">The run belongs to another kind of workflow.</exception>
    public async Task<WorkflowRun> ResumeAsync(string runId, IWorkspace workspace, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(workspace);
        options ??= new RunOptions();
        var found = await workspace.Runs.GetRunAsync(runId, cancellationToken)
            ?? throw new KeyNotFoundException($"The workspace has no run '{runId}'.");
        var checkpoint = await workspace.Runs.GetCheckpointAsync(found.Id, cancellationToken)
            ?? throw new KeyNotFoundException($"The workspace has no checkpoint for run '{found.Id}'.");
        if (!string.Equals(checkpoint.Run.Workflow, Kind, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Run '{found.Id}' is a {checkpoint.Run.Workflow} run; it cannot be resumed by a {Kind} workflow.");
        }

        if (checkpoint.Run.Status == RunStatus.Completed)
        {
            var steps = await workspace.Runs.GetStepsAsync(found.Id, cancellationToken);
            return new WorkflowRun(found.Id, RunStatus.Completed, checkpoint.Run.Answer, null, steps, checkpoint.Run.Usage);
        }

        var run = checkpoint.Run with { Status = RunStatus.Running, Error = null, EndedAt = null };
        await workspace.Runs.UpdateRunAsync(run, cancellationToken);
        options.Observer.OnEvent(new RunNotice(run.Id, options.Time.GetUtcNow(),
            $"resuming run {run.Id} after step {checkpoint.State.Step}"));
        return await ContinueAsync(workspace, run, [.. checkpoint.Thread], checkpoint.State, options with { RunId = run.Id }, cancellationToken);
    }

    /// <summary>The state a new run starts in: who works first.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The initial state.</returns>
    protected abstract WorkflowState InitialState(string task);

    /// <summary>The state after a step: who works next (null to finish) and with which notes.</summary>
    /// <param name="state">The state before the step.</param>
    /// <param name="response">What the step's agent produced.</param>
    /// <returns>The state after the step.</returns>
    protected abstract WorkflowState Advance(WorkflowState state, AgentResponse response);

    /// <summary>The agents <paramref name="agent"/> may hand the thread to (none by default).</summary>
    /// <param name="agent">The agent about to work.</param>
    /// <returns>The targets.</returns>
    protected virtual IReadOnlyList<HandoffTarget> HandoffTargetsFor(Agent agent) => [];

    private async Task<WorkflowRun> ContinueAsync(
        IWorkspace workspace,
        RunRecord run,
        List<ChatMessage> thread,
        WorkflowState state,
        RunOptions options,
        CancellationToken cancellationToken)
    {
        var time = options.Time;
        using var activity = CadreTelemetry.ActivitySource.StartActivity($"run {Kind}");
        activity?.SetTag("cadre.run.id", run.Id);
        activity?.SetTag("cadre.workflow", Kind);
        try
        {
            while (!state.IsFinished)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (state.Step >= options.MaxSteps)
                {
                    throw new WorkflowException($"The run reached its limit of {options.MaxSteps} steps without an answer.");
                }

                var agent = GetAgent(state.NextAgent!);
                var index = state.Step + 1;
                var startedAt = time.GetUtcNow();
                options.Observer.OnEvent(new AgentStepStarted(run.Id, startedAt, index, agent.Name));
                var context = new AgentContext { Agent = agent.Name, RunId = run.Id, Step = index, Observer = options.Observer, Time = time, Workspace = workspace };
                var response = await agent.RunAsync(thread, new AgentTurnOptions
                {
                    Context = context,
                    HandoffTargets = HandoffTargetsFor(agent),
                    Notes = state.Notes,
                }, cancellationToken);

                var next = Advance(state, response) with { Step = index };
                var step = new RunStep
                {
                    RunId = run.Id,
                    Index = index,
                    Agent = agent.Name,
                    StartedAt = startedAt,
                    Duration = response.Duration,
                    Messages = response.Messages,
                    ToolCalls = response.ToolCalls,
                    Usage = response.Usage,
                    Handoff = response.Handoff,
                    Text = response.Text,
                };
                await workspace.Runs.CommitStepAsync(new StepCommit(step, response.Messages, next), cancellationToken);
                CadreTelemetry.Steps.Add(1, new KeyValuePair<string, object?>("cadre.workflow", Kind));
                thread.AddRange(response.Messages);
                run = run with { Steps = index, Usage = run.Usage + response.Usage };
                state = next;
                options.Observer.OnEvent(new StepCompleted(run.Id, time.GetUtcNow(), step));
                await RunHooksAsync(options, run.Id, h => h.OnStepCompletedAsync(new CompletedStep(run, step, thread, workspace, options.Observer, time), cancellationToken), cancellationToken);
                if (response.Handoff is { } handoff && state.NextAgent == handoff.To)
                {
                    options.Observer.OnEvent(new HandedOff(run.Id, time.GetUtcNow(), agent.Name, handoff.To, handoff.Note));
                }
            }

            return await FinishAsync(workspace, run with { Status = RunStatus.Completed, Answer = state.Answer }, thread, options, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(workspace, run with { Status = RunStatus.Cancelled, Error = "The run was cancelled." }, thread, options, CancellationToken.None);
            throw;
        }
#pragma warning disable CA1031 // Any failure ends the run with its reason recorded; the caller gets an outcome, not a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            return await FinishAsync(workspace, run with { Status = RunStatus.Failed, Error = Describe(ex) }, thread, options, CancellationToken.None);
        }
    }

    private async Task<WorkflowRun> FinishAsync(IWorkspace workspace, RunRecord run, List<ChatMessage> thread, RunOptions options, CancellationToken cancellationToken)
    {
        var ended = run with { EndedAt = options.Time.GetUtcNow() };
        await workspace.Runs.UpdateRunAsync(ended, cancellationToken);
        var steps = await workspace.Runs.GetStepsAsync(run.Id, cancellationToken);
        await RunHooksAsync(options, run.Id, h => h.OnRunFinishedAsync(new FinishedRun(ended, this, steps, thread, workspace, options.Observer, options.Time), cancellationToken), cancellationToken);
        options.Observer.OnEvent(new RunFinished(run.Id, ended.EndedAt!.Value, run.Status, run.Answer, run.Error));
        return new WorkflowRun(run.Id, run.Status, run.Answer, run.Error, steps, steps.Aggregate(TokenUsage.Zero, (u, s) => u + s.Usage));
    }

    private static async Task RunHooksAsync(RunOptions options, string runId, Func<IRunHook, ValueTask> call, CancellationToken cancellationToken)
    {
        foreach (var hook in options.Hooks)
        {
            try
            {
                await call(hook);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A failing hook must not change the run's outcome; it is reported instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                options.Observer.OnEvent(new RunNotice(runId, options.Time.GetUtcNow(), $"{hook.GetType().Name} failed: {ex.Message}"));
            }
        }
    }

    private static string Describe(Exception ex) =>
        ex is WorkflowException or AggregateException ? ex.Message : $"{ex.Message} ({ex.GetType().Name})";
}
