using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Workspaces;

/// <summary>A workspace that keeps everything in memory: for tests and runs that need not survive the process.
/// Thread-safe.</summary>
public sealed class InMemoryWorkspace : IWorkspace, IRunStore, IRunSearch, IConversationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RunStep>> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkflowState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ChatMessage>> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PendingToolCall>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunLease> _leases = new(StringComparer.Ordinal);

    /// <summary>Creates an empty workspace.</summary>
    public InMemoryWorkspace()
    {
        Ledger = new InMemoryToolLedger(EpochOf);
    }

    /// <inheritdoc />
    public IRunStore Runs => this;

    /// <inheritdoc />
    public IRunSearch RunSearch => this;

    /// <inheritdoc />
    public IConversationStore Conversations => this;

    /// <inheritdoc />
    public IToolLedger Ledger { get; }

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

            var epoch = EpochOf(runId);
            if (epoch != commit.Epoch || _states[runId].Step != commit.Step.Index - 1)
            {
                throw new RunSupersededException(runId, commit.Epoch, epoch != commit.Epoch
                    ? $"epoch {epoch} owns it now"
                    : $"its checkpoint is at step {_states[runId].Step}, not {commit.Step.Index - 1}, so step {commit.Step.Index} was committed by another owner");
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
    public Task UpdateRunAsync(RunRecord run, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            if (!_runs.TryGetValue(run.Id, out var stored))
            {
                throw new InvalidOperationException($"Unknown run '{run.Id}'.");
            }

            var current = EpochOf(run.Id);
            if (current != epoch || (stored.Status == RunStatus.Completed && run.Status != RunStatus.Completed))
            {
                throw new RunSupersededException(run.Id, epoch, current != epoch
                    ? $"epoch {current} owns it now"
                    : $"it is completed and a completed run stays completed");
            }

            // Steps and usage are the commits' to keep; the rest is the caller's.
            _runs[run.Id] = run with { Steps = stored.Steps, Usage = stored.Usage };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<RunClaim> ClaimAsync(string runId, RunOwner owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(owner);
        lock (_gate)
        {
            if (!_runs.ContainsKey(runId))
            {
                throw new InvalidOperationException($"Unknown run '{runId}'.");
            }

            var held = _leases.GetValueOrDefault(runId);
            if (held is not null && held.IsHeldAt(now) && held.Owner.Id != owner.Id)
            {
                return Task.FromResult(new RunClaim(false, held));
            }

            var lease = new RunLease(runId, owner, (held?.Epoch ?? 0) + 1, now, now + duration);
            _leases[runId] = lease;
            return Task.FromResult(new RunClaim(true, lease));
        }
    }

    /// <inheritdoc />
    public Task<bool> RenewLeaseAsync(string runId, long epoch, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_leases.GetValueOrDefault(runId) is not { } lease || lease.Epoch != epoch)
            {
                return Task.FromResult(false);
            }

            _leases[runId] = lease with { HeartbeatAt = now, ExpiresAt = now + duration };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string runId, long epoch, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_leases.GetValueOrDefault(runId) is { } lease && lease.Epoch == epoch && lease.ExpiresAt > now)
            {
                _leases[runId] = lease with { ExpiresAt = now };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<RunLease?> GetLeaseAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_leases.GetValueOrDefault(runId));
        }
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
    public Task<RunSearchPage> PageAsync(RunStatus? status, string? text, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_gate)
        {
            var matching = _runs.Values
                .Where(r => (status is null || r.Status == status)
                    && (text is null || r.Id.Contains(text, StringComparison.OrdinalIgnoreCase) || r.Task.Contains(text, StringComparison.OrdinalIgnoreCase)))
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(new RunSearchPage(matching.Skip(offset).Take(limit).Select(r => r.Id).ToList(), matching.Count));
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

    private long EpochOf(string runId)
    {
        lock (_gate)
        {
            return _leases.GetValueOrDefault(runId)?.Epoch ?? 0;
        }
    }

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
