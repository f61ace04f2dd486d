using System.Diagnostics;
using Cadre.Runs;
using Microsoft.Extensions.AI;

namespace Cadre.Reliability.Benchmarks;

/// <summary>A run store that times every checkpoint (step commit) of the store it wraps.</summary>
/// <param name="inner">The store.</param>
public sealed class TimedRunStore(IRunStore inner) : IRunStore
{
    private readonly List<double> _commits = [];

    /// <summary>How long each commit took, in milliseconds, in order.</summary>
    public IReadOnlyList<double> CommitMilliseconds => _commits;

    /// <inheritdoc />
    public async Task CommitStepAsync(StepCommit commit, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.CommitStepAsync(commit, cancellationToken);
        _commits.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc />
    public Task CreateRunAsync(RunRecord run, IReadOnlyList<ChatMessage> messages, WorkflowState state, CancellationToken cancellationToken = default) =>
        inner.CreateRunAsync(run, messages, state, cancellationToken);

    /// <inheritdoc />
    public Task UpdateRunAsync(RunRecord run, long epoch, CancellationToken cancellationToken = default) => inner.UpdateRunAsync(run, epoch, cancellationToken);

    /// <inheritdoc />
    public Task<RunClaim> ClaimAsync(string runId, RunOwner owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        inner.ClaimAsync(runId, owner, now, duration, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RenewLeaseAsync(string runId, long epoch, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        inner.RenewLeaseAsync(runId, epoch, now, duration, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseAsync(string runId, long epoch, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.ReleaseAsync(runId, epoch, now, cancellationToken);

    /// <inheritdoc />
    public Task<RunLease?> GetLeaseAsync(string runId, CancellationToken cancellationToken = default) => inner.GetLeaseAsync(runId, cancellationToken);

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 50, CancellationToken cancellationToken = default) => inner.ListRunsAsync(limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunStep>> GetStepsAsync(string runId, CancellationToken cancellationToken = default) => inner.GetStepsAsync(runId, cancellationToken);

    /// <inheritdoc />
    public Task<RunCheckpoint?> GetCheckpointAsync(string runId, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(runId, cancellationToken);

    /// <inheritdoc />
    public Task AddPendingToolCallAsync(string runId, PendingToolCall call, CancellationToken cancellationToken = default) =>
        inner.AddPendingToolCallAsync(runId, call, cancellationToken);
}
