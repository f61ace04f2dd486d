using System.Text.Json;
using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;
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

    /// <summary>The agents that take part, in the order given.</summary>
    public IReadOnlyList<Agent> Agents { get; }

    /// <summary>A pipeline: each agent works in turn on the thread, the last one answers.</summary>
    /// <param name="agents">The agents, in order.</param>
    public static SequentialWorkflow Sequential(params IReadOnlyList<Agent> agents) => new(agents);

    /// <summary>Handoff: <paramref name="start"/> takes the task and may hand the thread to a specialist, who may
    /// hand it on; whoever answers without handing off ends the run.</summary>
    /// <param name="start">The first agent (triage, L1).</param>
    /// <param name="specialists">The agents it may hand to.</param>
    public static HandoffWorkflow Handoff(Agent start, params IReadOnlyList<Agent> specialists) => new(start, specialists);

    /// <summary>Orchestrator–workers: <paramref name="supervisor"/> assigns tasks to workers, supervises each call
    /// (timeout, heartbeats), reassigns a failed task to another capable worker and escalates when none is left.</summary>
    /// <param name="supervisor">The agent that plans, assigns and answers.</param>
    /// <param name="workers">The agents that do the work.</param>
    public static SupervisorWorkflow Supervised(Agent supervisor, params IReadOnlyList<Agent> workers) => new(supervisor, workers);

    /// <summary>A group chat: participants take turns (round-robin, or picked by <paramref name="selector"/>) until one
    /// says it is done.</summary>
    /// <param name="participants">At least two agents with distinct names; the first speaks first.</param>
    /// <param name="selector">The model that picks the next speaker; round-robin when null.</param>
    public static GroupChatWorkflow GroupChat(IReadOnlyList<Agent> participants, IChatClient? selector = null) => new(participants, selector);

    /// <summary>Finds an agent of this workflow by name.</summary>
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
        await using var owner = await RunOwnership.ClaimAsync(workspace, runId, options, cancellationToken);
        options.Observer.OnEvent(new RunStarted(runId, run.StartedAt, Kind, task));
        return await ContinueAsync(workspace, owner, run, thread, state, options, cancellationToken);
    }

    /// <summary>Continues a run from its last completed step (after a crash, a kill or a cancellation). A finished
    /// run is returned as it is.</summary>
    /// <param name="runId">The run's id (or a unique prefix).</param>
    /// <param name="workspace">The workspace that holds the run.</param>
    /// <param name="options">Observer, clock, limits (the run id is taken from <paramref name="runId"/>).</param>
    /// <param name="cancellationToken">Cancels the run; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="KeyNotFoundException">The workspace has no such run.</exception>
    /// <exception cref="InvalidOperationException">The run belongs to another kind of workflow.</exception>
    /// <exception cref="RunAliveException">Another process (or caller) holds the run's live lease: it is running.</exception>
    /// <exception cref="RunSupersededException">Another process claimed the run while this one worked on it; this one
    /// stopped without writing.</exception>
    public async Task<WorkflowRun> ResumeAsync(string runId, IWorkspace workspace, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(workspace);
        options ??= new RunOptions();
        var found = await workspace.Runs.GetRunAsync(runId, cancellationToken)
            ?? throw new KeyNotFoundException($"The workspace has no run '{runId}'.");
        if (!string.Equals(found.Workflow, Kind, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Run '{found.Id}' is a {found.Workflow} run; it cannot be resumed by a {Kind} workflow.");
        }

        if (found is { Status: RunStatus.Completed, PendingWork.Count: 0 })
        {
            return await CompletedAsync(workspace, found, cancellationToken);
        }

        // Claim first, then read: the checkpoint read after the claim is the one no other process can move any more.
        await using var owner = await RunOwnership.ClaimAsync(workspace, found.Id, options, cancellationToken);
        var checkpoint = await workspace.Runs.GetCheckpointAsync(found.Id, cancellationToken)
            ?? throw new KeyNotFoundException($"The workspace has no checkpoint for run '{found.Id}'.");
        options = options with { RunId = found.Id };
        if (checkpoint.Run.Status == RunStatus.Completed)
        {
            // Completed, but its post-run work (memories, episode) was interrupted: finish that, nothing else.
            try
            {
                await FinishPendingWorkAsync(workspace, owner, checkpoint.Run, [.. checkpoint.Thread], options);
            }
            catch (CrashException)
            {
                owner.Abandon();
                throw;
            }

            return await CompletedAsync(workspace, checkpoint.Run, cancellationToken);
        }

        var run = checkpoint.Run with { Status = RunStatus.Running, Error = null, EndedAt = null };
        await workspace.Runs.UpdateRunAsync(run, owner.Epoch, cancellationToken);
        options.Observer.OnEvent(new RunNotice(run.Id, options.Time.GetUtcNow(),
            $"resuming run {run.Id} after step {checkpoint.State.Step}"));
        if (checkpoint.Run.Status == RunStatus.DeadLettered)
        {
            await ResolveDeadLettersAsync(workspace, run.Id, options, cancellationToken);
        }

        await ReportPendingToolCallsAsync(workspace, checkpoint.State, options, cancellationToken);
        var context = new CheckpointContext(run.Id, checkpoint.State.Step, workspace);
        foreach (var contributor in options.CheckpointContributors)
        {
            await contributor.RestoreAsync(context, checkpoint.State.Extensions.TryGetValue(contributor.Name, out var saved) ? saved : null, cancellationToken);
        }

        return await ContinueAsync(workspace, owner, run, [.. checkpoint.Thread], checkpoint.State with { PendingToolCalls = [] }, options, cancellationToken);
    }

    private static async Task<WorkflowRun> CompletedAsync(IWorkspace workspace, RunRecord run, CancellationToken cancellationToken)
    {
        var steps = await workspace.Runs.GetStepsAsync(run.Id, cancellationToken);
        return new WorkflowRun(run.Id, RunStatus.Completed, run.Answer, null, steps, run.Usage);
    }

    // A dead-lettered run that is resumed is being retried: its pending dead letters are resolved, so the queue does not
    // offer them again. (`cadre dlq retry` resolves with the outcome; this covers `cadre resume`.)
    private static async Task ResolveDeadLettersAsync(IWorkspace workspace, string runId, RunOptions options, CancellationToken cancellationToken)
    {
        foreach (var letter in await workspace.DeadLetters.ListAsync(DeadLetterStatus.Pending, 10_000, cancellationToken))
        {
            if (letter.RunId == runId)
            {
                await workspace.DeadLetters.ResolveAsync(letter.Id, DeadLetterStatus.Retried, $"the run was resumed", options.Time.GetUtcNow(), cancellationToken);
                options.Observer.OnEvent(new RunNotice(runId, options.Time.GetUtcNow(), $"dead letter {letter.Id} resolved: the run is resumed"));
            }
        }
    }

    /// <summary>The state a new run starts in: who works first.</summary>
    protected abstract WorkflowState InitialState(string task);

    /// <summary>The state after a step: who works next (null to finish) and with which notes.</summary>
    /// <param name="state">The state before the step.</param>
    /// <param name="response">What the step's agent produced.</param>
    /// <returns>The state after the step.</returns>
    protected abstract WorkflowState Advance(WorkflowState state, AgentResponse response);


    /// <summary>The agents <paramref name="agent"/> may hand the thread to (none by default).</summary>
    /// <param name="agent">The agent about to work.</param>
    protected virtual IReadOnlyList<HandoffTarget> HandoffTargetsFor(Agent agent) => [];

    /// <summary>The state after a step, when deciding needs to wait for something (a model choosing the next speaker,
    /// an embedding). Calls <see cref="Advance"/> by default.</summary>
    /// <param name="state">The state before the step.</param>
    /// <param name="response">What the step's agent produced.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The state after the step.</returns>
    protected virtual ValueTask<WorkflowState> AdvanceAsync(WorkflowState state, AgentResponse response, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Advance(state, response));

    /// <summary>Adjusts a turn before the agent takes it: its notes, its chat options (a response schema, say).
    /// Returns <paramref name="turn"/> by default.</summary>
    /// <param name="agent">The agent about to work.</param>
    /// <param name="state">The state before the step.</param>
    /// <param name="turn">The turn as the workflow made it.</param>
    /// <returns>The turn to take.</returns>
    protected virtual AgentTurnOptions PrepareTurn(Agent agent, WorkflowState state, AgentTurnOptions turn) => turn;

    /// <summary>Runs one agent turn: <c>agent.RunAsync</c> by default. Override to add timeouts, heartbeats or an
    /// isolated thread.</summary>
    /// <param name="agent">The step's agent, wrapped so its side-effecting tool calls are recorded as pending before
    /// they run.</param>
    /// <param name="thread">The run's shared thread so far, oldest first; the workflow adds the turn's messages after
    /// the step is committed.</param>
    /// <param name="turn">The turn as <see cref="PrepareTurn"/> made it: the run's context (run, step, observer, clock,
    /// workspace), handoff targets and notes.</param>
    /// <param name="cancellationToken">Cancels the turn; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>What the turn produced.</returns>
    protected virtual Task<AgentResponse> RunTurnAsync(Agent agent, IReadOnlyList<ChatMessage> thread, AgentTurnOptions turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.RunAsync(thread, turn, cancellationToken);
    }

    /// <summary>Decides what happens when a step's agent fails: a state to go on with (the task reassigned, an
    /// escalation), which is committed with a failed step; or null to end the run (the default): dead-lettered when
    /// the models or tools were unavailable, failed otherwise.</summary>
    /// <param name="state">The state before the step.</param>
    /// <param name="agent">The agent that failed.</param>
    /// <param name="error">The failure the turn threw; a cancellation by the caller, a superseded run, a simulated
    /// crash and an approval waiting for a person never come here.</param>
    /// <returns>The state to go on with, or null.</returns>
    protected virtual WorkflowState? OnStepFailed(WorkflowState state, Agent agent, Exception error) => null;

    /// <summary>The state after a person decided an escalation: by default an answer finishes the run with it, and a
    /// retry goes on from where the run stands.</summary>
    /// <param name="state">The state that escalated.</param>
    /// <param name="outcome">What was decided (<see cref="EscalationDecision.Answered"/> or
    /// <see cref="EscalationDecision.Retry"/>).</param>
    /// <returns>The state to go on with.</returns>
    protected virtual WorkflowState Resolve(WorkflowState state, EscalationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Decision == EscalationDecision.Answered
            ? state with { Escalation = null, NextAgent = null, Notes = [], Answer = outcome.Answer }
            : state with { Escalation = null };
    }

    /// <summary>The name steps record for a person's answer to an escalation.</summary>
    public const string PersonName = "person";

    private async Task<WorkflowRun> ContinueAsync(
        IWorkspace workspace,
        RunOwnership owner,
        RunRecord run,
        List<ChatMessage> thread,
        WorkflowState state,
        RunOptions options,
        CancellationToken cancellationToken)
    {
        var time = options.Time;
        var budget = options.Budget;
        budget?.Validate();
        using var activity = CadreTelemetry.ActivitySource.StartActivity($"run {Kind}");
        activity?.SetTag("cadre.run.id", run.Id);
        activity?.SetTag("cadre.workflow", Kind);
        using var wallClock = budget?.MaxWallTime is { } wall ? new CancellationTokenSource(wall, time) : null;
        using var linked = wallClock is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, owner.Lost)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wallClock.Token, owner.Lost);
        var token = linked.Token;
        string? working = null;
        using var attempts = AttemptLog.Start();
        var stepAttempts = 0;
        try
        {
            while (true)
            {
                if (state.Escalation is { } request)
                {
                    var escalated = await EscalateAsync(workspace, owner, run, thread, state, request, options, token);
                    if (escalated.Finished is { } finished)
                    {
                        return finished;
                    }

                    (run, state) = (escalated.Run, escalated.State);
                    continue;
                }

                if (state.IsFinished)
                {
                    break;
                }

                token.ThrowIfCancellationRequested();
                if (state.Step >= options.MaxSteps)
                {
                    throw new WorkflowException($"The run reached its limit of {options.MaxSteps} steps without an answer.");
                }

                if (budget?.Exceeded(run.Usage, state.Step) is { } spent)
                {
                    return await FinishAsync(workspace, owner, run with { Status = RunStatus.Stopped, Error = Stopped(spent, state.Step) }, thread, options, CancellationToken.None);
                }

                var agent = GetAgent(state.NextAgent!);
                working = agent.Name;
                stepAttempts = attempts.Attempts.Count;
                (run, state) = await RunStepAsync(workspace, owner, run, thread, state, agent, options, token);
            }

            return await FinishAsync(workspace, owner, run with { Status = RunStatus.Completed, Answer = state.Answer }, thread, options, CancellationToken.None);
        }
        catch (CrashException)
        {
            owner.Abandon();
            throw;
        }
        catch (OperationCanceledException) when (owner.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Another process claimed the run: stop without writing anything; the run goes on in its hands.
            throw new RunSupersededException(run.Id, owner.Epoch, "another process claimed it while this one was working on it");
        }
        catch (OperationCanceledException) when (wallClock?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            var reason = $"the run reached its wall-time budget of {budget!.MaxWallTime}" + (working is null ? "" : $" while {working} was working on step {state.Step + 1}");
            return await FinishAsync(workspace, owner, run with { Status = RunStatus.Stopped, Error = Stopped(reason, state.Step) }, thread, options, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(workspace, owner, run with { Status = RunStatus.Cancelled, Error = "The run was cancelled." }, thread, options, CancellationToken.None);
            throw;
        }
        catch (ApprovalPendingException waiting)
        {
            // The step in progress is dropped (its checkpoint is the last one); resuming repeats it and the approver
            // finds the decision under the same idempotency key.
            return await WaitForApprovalAsync(workspace, owner, run, waiting, options);
        }
        catch (ToolOutcomeUnknownException unknown)
        {
            // A side effect that may or may not have happened, and may not be repeated: a person decides.
            var reason = $"escalated to a person (critical): {unknown.Message}";
            options.Observer.OnEvent(new EscalationRaised(run.Id, time.GetUtcNow(), new EscalationRequest(unknown.Message, true), EscalationOutcome.Recorded));
            return await FinishAsync(workspace, owner, run with { Status = RunStatus.Escalated, Error = reason }, thread, options, CancellationToken.None);
        }
#pragma warning disable CA1031 // Any failure ends the run with its reason recorded; the caller gets an outcome, not a crash.
        catch (Exception ex) when (!MustStop(ex))
#pragma warning restore CA1031
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            return await FailAsync(workspace, owner, run, thread, state, working, ex, attempts.Attempts.Skip(stepAttempts).ToList(), options);
        }
    }

    // Ends a run that failed: dead-lettered when its retries were exhausted (with the attempts of the failing step),
    // else failed with the reason.
    private async Task<WorkflowRun> FailAsync(
        IWorkspace workspace,
        RunOwnership owner,
        RunRecord run,
        List<ChatMessage> thread,
        WorkflowState state,
        string? working,
        Exception ex,
        IReadOnlyList<CallAttempt> stepAttempts,
        RunOptions options)
    {
        if (DeadLetters.IsExhaustion(ex))
        {
            var letter = await DeadLetterAsync(workspace, run, state, working, ex, stepAttempts, options);
            return await FinishAsync(workspace, owner, run with { Status = RunStatus.DeadLettered, Error = $"{Describe(ex)} (dead letter {letter.Id})" }, thread, options, CancellationToken.None);
        }

        return await FinishAsync(workspace, owner, run with { Status = RunStatus.Failed, Error = Describe(ex) }, thread, options, CancellationToken.None);
    }

    // One step: the agent's turn (a failure the workflow recovers from is recorded as a failed step), the workflow's
    // decision on what comes next, and the step's commit.
    private async Task<(RunRecord Run, WorkflowState State)> RunStepAsync(
        IWorkspace workspace,
        RunOwnership owner,
        RunRecord run,
        List<ChatMessage> thread,
        WorkflowState state,
        Agent agent,
        RunOptions options,
        CancellationToken token)
    {
        var index = state.Step + 1;
        var time = options.Time;
        var startedAt = time.GetUtcNow();
        options.Observer.OnEvent(new AgentStepStarted(run.Id, startedAt, index, agent.Name));
        var context = new AgentContext
        {
            Agent = agent.Name, RunId = run.Id, Step = index, Observer = options.Observer, Time = time, Workspace = workspace,
            Epoch = owner.Epoch, Faults = options.Faults, RepeatUnknownOutcomes = options.RepeatUnknownOutcomes,
        };
        var turn = PrepareTurn(agent, state, new AgentTurnOptions
        {
            Context = context,
            HandoffTargets = HandoffTargetsFor(agent),
            Notes = state.Notes,
        });
        AgentResponse response;
        try
        {
            response = await RunTurnAsync(agent.WithToolInvoker(new PendingToolCallRecorder(agent.ToolInvoker, workspace.Runs)), thread, turn, token);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && token.IsCancellationRequested) && !MustStop(ex) && ex is not ApprovalPendingException)
        {
            var recovered = OnStepFailed(state, agent, ex);
            if (recovered is null)
            {
                throw;
            }

            var failed = new RunStep
            {
                RunId = run.Id,
                Index = index,
                Agent = agent.Name,
                StartedAt = startedAt,
                Duration = time.GetUtcNow() - startedAt,
                Error = Describe(ex),
            };
            options.Observer.OnEvent(new StepFailed(run.Id, time.GetUtcNow(), index, agent.Name, failed.Error));
            return await CommitAsync(workspace, owner, run, thread, failed, [], recovered with { Step = index }, options, token);
        }

        WorkflowState next;
        using (AgentContext.Enter(context))
        {
            // Deciding may call a model too (a speaker selector); it belongs to this step's run.
            next = (await AdvanceAsync(state, response, token)) with { Step = index };
        }

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
            Level = response.Level,
        };
        var committed = await CommitAsync(workspace, owner, run, thread, step, response.Messages, next, options, token);
        if (response.Handoff is { } handoff && committed.State.NextAgent == handoff.To)
        {
            options.Observer.OnEvent(new HandedOff(committed.Run.Id, time.GetUtcNow(), agent.Name, handoff.To, handoff.Note));
        }

        return committed;
    }

    // Writes a step, the messages it added and the state after it (with every contributor's part) in one transaction.
    private async Task<(RunRecord Run, WorkflowState State)> CommitAsync(
        IWorkspace workspace,
        RunOwnership owner,
        RunRecord run,
        List<ChatMessage> thread,
        RunStep step,
        IReadOnlyList<ChatMessage> messages,
        WorkflowState next,
        RunOptions options,
        CancellationToken cancellationToken)
    {
        if (options.CheckpointContributors.Count > 0)
        {
            var extensions = new Dictionary<string, JsonElement>(next.Extensions, StringComparer.Ordinal);
            var context = new CheckpointContext(run.Id, step.Index, workspace);
            foreach (var contributor in options.CheckpointContributors)
            {
                if (await contributor.CaptureAsync(context, cancellationToken) is { } part)
                {
                    extensions[contributor.Name] = part;
                }
                else
                {
                    extensions.Remove(contributor.Name);
                }
            }

            next = next with { Extensions = extensions };
        }

        options.Faults?.Reached(FaultPoints.BeforeCommit, run.Id);
        await workspace.Runs.CommitStepAsync(new StepCommit(step, messages, next) { Epoch = owner.Epoch }, cancellationToken);
        options.Faults?.Reached(FaultPoints.AfterCommit, run.Id);
        CadreTelemetry.Steps.Add(1, new KeyValuePair<string, object?>("cadre.workflow", Kind));
        thread.AddRange(messages);
        run = run with { Steps = step.Index, Usage = run.Usage + step.Usage };
        options.Observer.OnEvent(new StepCompleted(run.Id, options.Time.GetUtcNow(), step));
        await RunHooksAsync(options, run.Id, h => h.OnStepCompletedAsync(new CompletedStep(run, step, thread, workspace, options.Observer, options.Time), cancellationToken), cancellationToken);
        return (run, next);
    }

    private async Task<(WorkflowRun? Finished, RunRecord Run, WorkflowState State)> EscalateAsync(
        IWorkspace workspace,
        RunOwnership owner,
        RunRecord run,
        List<ChatMessage> thread,
        WorkflowState state,
        EscalationRequest request,
        RunOptions options,
        CancellationToken cancellationToken)
    {
        var handler = options.Escalation ?? EscalationHandlers.Record;
        var outcome = await handler.EscalateAsync(new Escalation(run.Id, state.Step, run.Task, request), cancellationToken);
        options.Observer.OnEvent(new EscalationRaised(run.Id, options.Time.GetUtcNow(), request, outcome));
        switch (outcome.Decision)
        {
            case EscalationDecision.Answered:
                // The answer is a step of its own, so the transcript shows who decided and the checkpoint keeps it.
                var message = new ChatMessage(ChatRole.Assistant, outcome.Answer) { AuthorName = PersonName };
                var index = state.Step + 1;
                var step = new RunStep
                {
                    RunId = run.Id,
                    Index = index,
                    Agent = PersonName,
                    StartedAt = options.Time.GetUtcNow(),
                    Duration = TimeSpan.Zero,
                    Messages = [message],
                    Text = outcome.Answer ?? "",
                };
                var answered = await CommitAsync(workspace, owner, run, thread, step, [message], Resolve(state, outcome) with { Step = index }, options, cancellationToken);
                return (null, answered.Run, answered.State);
            case EscalationDecision.Retry:
                return (null, run, Resolve(state, outcome));
            default:
                var reason = $"escalated to a person{(request.Critical ? " (critical)" : "")}: {request.Reason}";
                return (await FinishAsync(workspace, owner, run with { Status = RunStatus.Escalated, Error = reason }, thread, options, CancellationToken.None), run, state);
        }
    }

    private async Task<DeadLetter> DeadLetterAsync(IWorkspace workspace, RunRecord run, WorkflowState state, string? agent, Exception error, IReadOnlyList<CallAttempt> logged, RunOptions options)
    {
        var inputs = new Dictionary<string, string>(run.Metadata, StringComparer.Ordinal) { ["task"] = run.Task };
        if (state.Notes.Count > 0)
        {
            inputs["notes"] = string.Join("\n", state.Notes);
        }

        var attempts = logged.Count > 0 ? logged : (error as ModelUnavailableException)?.Attempts ?? [];
        var letter = new DeadLetter
        {
            Id = DeadLetters.NewId(),
            RunId = run.Id,
            Workflow = Kind,
            Task = run.Task,
            Step = state.Step + 1,
            Agent = agent,
            Error = Describe(error),
            ErrorType = error.GetType().Name,
            Attempts = attempts,
            Inputs = inputs,
            CreatedAt = options.Time.GetUtcNow(),
        };
        await workspace.DeadLetters.AddAsync(letter, CancellationToken.None);
        options.Observer.OnEvent(new TaskDeadLettered(run.Id, letter.CreatedAt, letter));
        return letter;
    }

    private static async Task<WorkflowRun> WaitForApprovalAsync(IWorkspace workspace, RunOwnership owner, RunRecord run, ApprovalPendingException waiting, RunOptions options)
    {
        // Not finished: no end time and no finish hooks (episodes, memory) until the run really ends.
        var paused = run with { Status = RunStatus.WaitingForApproval, Error = waiting.Message, EndedAt = null };
        await workspace.Runs.UpdateRunAsync(paused, owner.Epoch, CancellationToken.None);
        var steps = await workspace.Runs.GetStepsAsync(run.Id, CancellationToken.None);
        options.Observer.OnEvent(new RunFinished(run.Id, options.Time.GetUtcNow(), paused.Status, null, paused.Error));
        return new WorkflowRun(run.Id, paused.Status, null, paused.Error, steps, steps.Aggregate(TokenUsage.Zero, (u, s) => u + s.Usage));
    }

    private static async Task ReportPendingToolCallsAsync(IWorkspace workspace, WorkflowState state, RunOptions options, CancellationToken cancellationToken)
    {
        foreach (var call in state.PendingToolCalls)
        {
            var entry = await workspace.Ledger.FindAsync(call.Key, cancellationToken);
            options.Observer.OnEvent(new RunNotice(options.RunId ?? "", options.Time.GetUtcNow(), entry switch
            {
                { IsPending: false } => $"step {call.Step} was interrupted after {call.Tool} ({call.Key}) completed; the ledger has its result, so it will not run again",
                { IsPending: true } => $"step {call.Step} was interrupted during {call.Tool} ({call.Key}): its outcome is unknown; it runs again under the same key only if the tool is idempotent, otherwise the run escalates",
                null => $"step {call.Step} was interrupted before {call.Tool} ({call.Key}) reserved its key; it runs under that key",
            }));
        }
    }

    private static string Stopped(string reason, int step) =>
        $"Stopped: {reason}. The checkpoint after step {step} is kept; resume with a larger budget to continue.";

    private async Task<WorkflowRun> FinishAsync(IWorkspace workspace, RunOwnership owner, RunRecord run, List<ChatMessage> thread, RunOptions options, CancellationToken cancellationToken)
    {
        // The final status and the post-run work still to do are written together, so a crash after this line leaves the
        // work recorded as pending and resuming the run does it.
        var ended = run with { EndedAt = options.Time.GetUtcNow(), PendingWork = options.Hooks.Select(h => h.Name).Distinct(StringComparer.Ordinal).ToList() };
        await workspace.Runs.UpdateRunAsync(ended, owner.Epoch, cancellationToken);
        var steps = await FinishPendingWorkAsync(workspace, owner, ended, thread, options);
        options.Observer.OnEvent(new RunFinished(run.Id, ended.EndedAt!.Value, run.Status, run.Answer, run.Error));
        return new WorkflowRun(run.Id, run.Status, run.Answer, run.Error, steps, steps.Aggregate(TokenUsage.Zero, (u, s) => u + s.Usage));
    }

    // Runs the post-run hooks still pending for a run, marking each done (fenced) as it finishes.
    private async Task<IReadOnlyList<RunStep>> FinishPendingWorkAsync(IWorkspace workspace, RunOwnership owner, RunRecord ended, List<ChatMessage> thread, RunOptions options)
    {
        var steps = await workspace.Runs.GetStepsAsync(ended.Id, CancellationToken.None);
        if (ended.PendingWork.Count == 0)
        {
            return steps;
        }

        options.Faults?.Reached(FaultPoints.BeforePostRun, ended.Id);
        var pending = ended.PendingWork.ToList();
        var finished = new FinishedRun(ended with { PendingWork = [] }, this, steps, thread, workspace, options.Observer, options.Time);
        foreach (var hook in options.Hooks.Where(h => pending.Contains(h.Name)).DistinctBy(h => h.Name))
        {
            await RunHooksAsync(options, ended.Id, h => h.OnRunFinishedAsync(finished, CancellationToken.None), CancellationToken.None, [hook]);
            options.Faults?.Reached(FaultPoints.AfterPostRunHook, ended.Id);
            pending.Remove(hook.Name);
            await workspace.Runs.UpdateRunAsync(ended with { PendingWork = pending.ToList() }, owner.Epoch, CancellationToken.None);
        }

        if (pending.Count > 0)
        {
            // Work named by a hook this host does not have (another spec): left pending, and said so.
            options.Observer.OnEvent(new RunNotice(ended.Id, options.Time.GetUtcNow(), $"post-run work left pending (no such hook here): {string.Join(", ", pending)}"));
        }

        return steps;
    }

    // What must pass every handler untouched: a simulated crash, and a process that lost the run to another.
    private static bool MustStop(Exception ex) => ex is CrashException or RunSupersededException;

    private static async Task RunHooksAsync(RunOptions options, string runId, Func<IRunHook, ValueTask> call, CancellationToken cancellationToken, IReadOnlyList<IRunHook>? hooks = null)
    {
        foreach (var hook in hooks ?? options.Hooks)
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
            catch (Exception ex) when (!MustStop(ex))
#pragma warning restore CA1031
            {
                options.Observer.OnEvent(new RunNotice(runId, options.Time.GetUtcNow(), $"{hook.GetType().Name} failed: {ex.Message}"));
            }
        }
    }

    private static string Describe(Exception ex) =>
        ex is WorkflowException or AggregateException or ModelUnavailableException ? ex.Message : $"{TransientFailures.Describe(ex)} ({ex.GetType().Name})";
}
