using System.Globalization;
using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Runs;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>
/// Orchestrator–workers with a supervisor. The supervisor agent assigns a task to a worker (through its
/// <c>handoff</c> tool, the note being the task); the worker does it and reports back; the supervisor assigns more
/// or answers. Every agent call is supervised: it has a timeout (<see cref="AgentTimeout"/>), sends heartbeats while
/// it works (<see cref="HeartbeatInterval"/>) and, with <see cref="StallTimeout"/>, is stopped when it shows no
/// progress. A worker that fails — an error, a timeout, models unavailable — has its task reassigned to another
/// capable worker (one sharing a capability, see <see cref="Capable"/>); when none is left, or the supervisor itself
/// fails, the run escalates to a person (<see cref="RunOptions.Escalation"/>) with the reason.
/// </summary>
public sealed class SupervisorWorkflow : Workflow
{
    private const string TaskKey = "task";
    private const string OwnerKey = "owner";
    private const string TriedKey = "tried";
    private const string FailuresKey = "failures";
    private const string AssignmentsKey = "assignments";
    private const string ReassignedFromKey = "reassigned_from";
    private readonly Dictionary<string, IReadOnlyList<string>> _capabilities = new(StringComparer.Ordinal);

    /// <summary>Creates the workflow over the supervisor and its workers; the supervisor takes the first step.</summary>
    /// <exception cref="ArgumentException">No worker, or two agents with the same name.</exception>
    /// <param name="supervisor">The agent that plans, assigns and answers.</param>
    /// <param name="workers">The agents that do the work.</param>
    public SupervisorWorkflow(Agent supervisor, IReadOnlyList<Agent> workers)
        : base([supervisor ?? throw new ArgumentNullException(nameof(supervisor)), .. workers ?? throw new ArgumentNullException(nameof(workers))])
    {
        if (workers.Count == 0)
        {
            throw new ArgumentException("A supervisor needs at least one worker.", nameof(workers));
        }

        Supervisor = supervisor;
        Workers = workers;
    }

    /// <inheritdoc />
    public override string Kind => "supervisor";

    /// <summary>The agent that picks the worker for each step and gives the answer.</summary>
    public Agent Supervisor { get; }

    /// <summary>The agents the supervisor can hand work to.</summary>
    public IReadOnlyList<Agent> Workers { get; }

    /// <summary>The longest any agent call may take (default 5 minutes).</summary>
    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a working agent's heartbeat is reported (default 15 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an agent may show no progress (no tool call, retry or progress report) before it is stopped
    /// and its task reassigned; never when null (the default).</summary>
    public TimeSpan? StallTimeout { get; init; }

    /// <summary>The most tasks the supervisor may assign in a run (default 12).</summary>
    public int MaxAssignments { get; init; } = 12;

    /// <summary>Declares what a worker can do; workers that share a capability can take over each other's tasks. A
    /// worker with none declared can do only its own tasks.</summary>
    /// <param name="worker">The worker's name, exactly as given to the workflow.</param>
    /// <param name="capabilities">Its capabilities (<c>billing</c>, <c>refunds</c>).</param>
    public SupervisorWorkflow Capable(string worker, params IReadOnlyList<string> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        if (!Workers.Any(w => w.Name == worker))
        {
            throw new ArgumentException($"'{worker}' is not a worker of this supervisor. Workers: {string.Join(", ", Workers.Select(w => w.Name))}.", nameof(worker));
        }

        _capabilities[worker] = capabilities;
        return this;
    }

    /// <summary>A worker's capabilities (its own name when none were declared).</summary>
    public IReadOnlyList<string> CapabilitiesOf(string worker) =>
        _capabilities.TryGetValue(worker, out var declared) && declared.Count > 0 ? declared : [worker];

    /// <inheritdoc />
    protected override WorkflowState InitialState(string task) => new() { Task = task, NextAgent = Supervisor.Name };

    /// <inheritdoc />
    protected override IReadOnlyList<HandoffTarget> HandoffTargetsFor(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent == Supervisor
            ? Workers.Select(w => new HandoffTarget(w.Name, $"{(w.Description.Length > 0 ? w.Description : w.Instructions)} (can do: {string.Join(", ", CapabilitiesOf(w.Name))})")).ToList()
            : [];
    }

    /// <inheritdoc />
    protected override AgentTurnOptions PrepareTurn(Agent agent, WorkflowState state, AgentTurnOptions turn)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Context is { } context && state.Data.TryGetValue(ReassignedFromKey, out var from))
        {
            context.Observer.OnEvent(new TaskReassigned(context.RunId, context.Time.GetUtcNow(), from, state.NextAgent!, LastFailure(state)));
        }

        return turn;
    }

    /// <inheritdoc />
    protected override Task<AgentResponse> RunTurnAsync(Agent agent, IReadOnlyList<ChatMessage> thread, AgentTurnOptions turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(turn);
        return SupervisedTurn.RunAsync(agent, thread, turn, AgentTimeout, HeartbeatInterval, StallTimeout, cancellationToken);
    }

    /// <inheritdoc />
    protected override WorkflowState Advance(WorkflowState state, AgentResponse response)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(response);
        if (response.Agent != Supervisor.Name)
        {
            return state with
            {
                NextAgent = Supervisor.Name,
                Notes = [$"{response.Agent} reported on the task \"{state.Data.GetValueOrDefault(TaskKey)}\": {response.Text}"],
                Data = Keep(state.Data, AssignmentsKey),
            };
        }

        if (response.Handoff is not { } assignment)
        {
            return state with { NextAgent = null, Notes = [], Answer = response.Text, Data = Keep(state.Data, AssignmentsKey) };
        }

        var assignments = Count(state) + 1;
        if (assignments > MaxAssignments)
        {
            throw new WorkflowException($"The supervisor reached its limit of {MaxAssignments} assignments.");
        }

        return state with
        {
            NextAgent = assignment.To,
            Notes = [Assign(assignment.Note)],
            Handoffs = state.Handoffs + 1,
            Data = new Dictionary<string, string>
            {
                [TaskKey] = assignment.Note,
                [OwnerKey] = assignment.To,
                [TriedKey] = assignment.To,
                [AssignmentsKey] = assignments.ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    /// <inheritdoc />
    protected override WorkflowState? OnStepFailed(WorkflowState state, Agent agent, Exception error)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(error);
        var reason = TransientFailures.Describe(error);
        if (agent == Supervisor)
        {
            return state with { Escalation = new EscalationRequest($"the supervisor {agent.Name} failed: {reason}", Critical: true, agent.Name) };
        }

        var task = state.Data.GetValueOrDefault(TaskKey, state.Task);
        var owner = state.Data.GetValueOrDefault(OwnerKey, agent.Name);
        var tried = state.Data.GetValueOrDefault(TriedKey, agent.Name).Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
        var failures = (state.Data.TryGetValue(FailuresKey, out var earlier) ? earlier + "; " : "") + $"{agent.Name}: {reason}";
        var data = new Dictionary<string, string>(state.Data, StringComparer.Ordinal) { [FailuresKey] = failures };
        var needed = CapabilitiesOf(owner);
        var next = Workers.FirstOrDefault(w => !tried.Contains(w.Name) && CapabilitiesOf(w.Name).Intersect(needed, StringComparer.Ordinal).Any());
        if (next is null)
        {
            data.Remove(ReassignedFromKey);
            return state with
            {
                Data = data,
                Escalation = new EscalationRequest($"no capable worker could finish the task \"{task}\" ({failures})", Critical: true, agent.Name),
            };
        }

        data[TriedKey] = string.Join(',', [.. tried, next.Name]);
        data[ReassignedFromKey] = agent.Name;
        return state with
        {
            NextAgent = next.Name,
            Notes = [Assign(task), $"{agent.Name} could not finish this task ({reason}); you take it over."],
            Data = data,
        };
    }

    /// <inheritdoc />
    protected override WorkflowState Resolve(WorkflowState state, EscalationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        var failedWorker = state.Escalation?.Agent is { } failed && failed != Supervisor.Name;
        if (!failedWorker)
        {
            // The supervisor failed: a person's answer is the answer; a retry gives it another go.
            return outcome.Decision == EscalationDecision.Answered
                ? base.Resolve(state, outcome)
                : state with { Escalation = null, NextAgent = Supervisor.Name };
        }

        var task = state.Data.GetValueOrDefault(TaskKey, state.Task);
        if (outcome.Decision == EscalationDecision.Answered)
        {
            // A person did the task: their answer goes back to the supervisor like a worker's report.
            return state with
            {
                Escalation = null,
                NextAgent = Supervisor.Name,
                Notes = [$"A person answered the task \"{task}\": {outcome.Answer}"],
                Data = Keep(state.Data, AssignmentsKey),
            };
        }

        var owner = state.Data.GetValueOrDefault(OwnerKey, Workers[0].Name);
        var data = Keep(state.Data, AssignmentsKey, TaskKey, OwnerKey);
        data[TriedKey] = owner;
        return state with { Escalation = null, NextAgent = owner, Notes = [Assign(task)], Data = data };
    }

    private static string Assign(string task) => $"The supervisor assigned you this task: {task} Do it, then report what you did and found.";

    private static int Count(WorkflowState state) =>
        int.TryParse(state.Data.GetValueOrDefault(AssignmentsKey, "0"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string LastFailure(WorkflowState state) =>
        state.Data.GetValueOrDefault(FailuresKey, "")?.Split("; ").LastOrDefault() ?? "";

    private static Dictionary<string, string> Keep(IReadOnlyDictionary<string, string> data, params string[] keys) =>
        keys.Where(data.ContainsKey).ToDictionary(k => k, k => data[k], StringComparer.Ordinal);
}
