using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Memory;
using Cadre.Tools;
using Cadre.Workflows;
using Microsoft.Extensions.AI;

namespace Cadre.Workspaces;

/// <summary>A workspace that keeps everything in memory: for tests and runs that need not survive the process.
/// Thread-safe.</summary>
public sealed class InMemoryWorkspace : IWorkspace, IRunStore, IConversationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RunStep>> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkflowState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ChatMessage>> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PendingToolCall>> _pending = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IRunStore Runs => this;

    /// <inheritdoc />
    public IConversationStore Conversations => this;

    /// <inheritdoc />
    public IToolLedger Ledger { get; } = new InMemoryToolLedger();

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters { get; } = new InMemoryDeadLetterStore();

    /// <inheritdoc />
    public IAuditLog Audit { get; } = new InMemoryAuditLog();

    /// <inheritdoc />
    public IToolJobStore Jobs { get; } = new InMemoryToolJobStore();

    /// <inheritdoc />
    public IApprovalStore Approvals { get; } = new InMemoryApprovalStore();

    /// <inheritdoc />
    public WorkspaceMemory Memory { get; } = WorkspaceMemory.InMemory();

    /// <inheritdoc />
    public Task CreateRunAsync(RunRecord run, IReadOnlyList<ChatMessage> messages, WorkflowState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(messages);
        lock (_gate)
        {
            if (!_runs.TryAdd(run.Id, run))
            {
                throw new InvalidOperationException($"A run with id '{run.Id}' already exists.");
            }

            _steps[run.Id] = [];
            _states[run.Id] = state;
            Thread(run.Id).AddRange(messages);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task CommitStepAsync(StepCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var runId = commit.Step.RunId;
        lock (_gate)
        {
            if (!_runs.TryGetValue(runId, out var run))
            {
                throw new InvalidOperationException($"Unknown run '{runId}'.");
            }

            _steps[runId].Add(commit.Step);
            _states[runId] = commit.State with { PendingToolCalls = [] };
            _pending.Remove(runId);
            Thread(runId).AddRange(commit.Messages);
            _runs[runId] = run with { Steps = _steps[runId].Count, Usage = run.Usage + commit.Step.Usage };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            if (!_runs.ContainsKey(run.Id))
            {
                throw new InvalidOperationException($"Unknown run '{run.Id}'.");
            }

            _runs[run.Id] = run;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        lock (_gate)
        {
            if (_runs.TryGetValue(runId, out var run))
            {
                return Task.FromResult<RunRecord?>(run);
            }

            var matches = _runs.Values.Where(r => r.Id.StartsWith(runId, StringComparison.Ordinal)).Take(2).ToList();
            return Task.FromResult(matches.Count == 1 ? matches[0] : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 50, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RunRecord> runs = _runs.Values.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Take(limit).ToList();
            return Task.FromResult(runs);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunStep>> GetStepsAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RunStep> steps = _steps.TryGetValue(runId, out var list) ? list.ToList() : [];
            return Task.FromResult(steps);
        }
    }

    /// <inheritdoc />
    public Task<RunCheckpoint?> GetCheckpointAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.TryGetValue(runId, out var run)
                ? new RunCheckpoint(run, Thread(runId).ToList(), _states[runId] with { PendingToolCalls = _pending.TryGetValue(runId, out var pending) ? pending.ToList() : [] })
                : null);
        }
    }

    /// <inheritdoc />
    public Task AddPendingToolCallAsync(string runId, PendingToolCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(call);
        lock (_gate)
        {
            if (!_pending.TryGetValue(runId, out var list))
            {
                list = [];
                _pending[runId] = list;
            }

            list.RemoveAll(p => p.Key == call.Key);
            list.Add(call);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ChatMessage> messages = _threads.TryGetValue(conversationId, out var list) ? list.ToList() : [];
            return Task.FromResult(messages);
        }
    }

    /// <inheritdoc />
    public Task AppendAsync(string conversationId, IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_gate)
        {
            Thread(conversationId).AddRange(messages);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private List<ChatMessage> Thread(string id)
    {
        if (!_threads.TryGetValue(id, out var list))
        {
            list = [];
            _threads[id] = list;
        }

        return list;
    }
}
