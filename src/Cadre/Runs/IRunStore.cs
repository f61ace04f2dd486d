using Cadre.Resilience;
using Microsoft.Extensions.AI;

namespace Cadre.Runs;

/// <summary>Keeps runs, their steps and checkpoints. Every step is written in one transaction with the messages it
/// added and the state after it, so a crash loses at most the step in progress.</summary>
/// <remarks>
/// <para><b>Ownership.</b> A run has one owner at a time: <see cref="ClaimAsync"/> gives it to a caller under a new
/// epoch (a lease with an expiry, renewed by <see cref="RenewLeaseAsync"/> and given up by
/// <see cref="ReleaseAsync"/>). Every write of a run after its creation is <i>fenced</i>: it names the writer's epoch
/// and is refused with <see cref="RunSupersededException"/>, writing nothing, when that is not the run's current
/// epoch. A run that was never claimed has epoch 0.</para>
/// <para>Every implementation must pass the shared contract tests (<c>RunStoreContract</c> in tests/Cadre.Testing.Contracts).</para>
/// </remarks>
public interface IRunStore
{
    /// <summary>Records a new run with its first messages (the task) and initial state.</summary>
    /// <param name="run">The run: its id (not yet in the store), workflow kind, task, status, start time and
    /// metadata.</param>
    /// <param name="messages">The thread's first messages.</param>
    /// <param name="state">The workflow's initial state.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when the run is stored.</returns>
    Task CreateRunAsync(RunRecord run, IReadOnlyList<ChatMessage> messages, WorkflowState state, CancellationToken cancellationToken = default);

    /// <summary>Records a step, the messages it added and the state after it, in one transaction — fenced: in the
    /// same transaction it checks that the run's epoch is <see cref="StepCommit.Epoch"/> and that the checkpoint is
    /// at the step before <see cref="RunStep.Index"/>; otherwise nothing is written.</summary>
    /// <param name="commit">The step, the messages it added, the state after it and the writer's epoch.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when the step is stored.</returns>
    /// <exception cref="RunSupersededException">Another owner claimed the run, or the step was already committed.</exception>
    Task CommitStepAsync(StepCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Updates a run's status, answer, error, end time, metadata and pending post-run work — fenced by
    /// <paramref name="epoch"/>. A completed run stays completed: a write that would give it another status is
    /// refused.</summary>
    /// <param name="run">The run as it now stands.</param>
    /// <param name="epoch">The writer's epoch (0 for a run that was never claimed).</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when the run is stored.</returns>
    /// <exception cref="RunSupersededException">Another owner claimed the run, or it is completed and the write would
    /// change that.</exception>
    /// <exception cref="InvalidOperationException">The store has no such run.</exception>
    Task UpdateRunAsync(RunRecord run, long epoch, CancellationToken cancellationToken = default);

    /// <summary>Makes the caller the run's owner, atomically: succeeds when the run has no lease, its lease has lapsed
    /// (<see cref="RunLease.ExpiresAt"/> is not after <paramref name="now"/>) or was released, or — where the store
    /// can tell — its holder's process is gone (an OS lock released by the kernel when the holder died). A successful
    /// claim raises the epoch by one, which fences every later write of the previous holder.</summary>
    /// <param name="runId">The run's id (exact).</param>
    /// <param name="owner">The claiming holder (its id, host and process id), shown to later claimers while its lease is
    /// live.</param>
    /// <param name="now">The claimer's current time: a lease expiring at or before it has lapsed, and the new lease's
    /// heartbeat is stamped with it.</param>
    /// <param name="duration">How long the lease lasts unless renewed.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>The new lease, or the live lease of the holder in the way.</returns>
    /// <exception cref="InvalidOperationException">The store has no such run.</exception>
    Task<RunClaim> ClaimAsync(string runId, RunOwner owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Extends the caller's lease to <paramref name="now"/> + <paramref name="duration"/> (a heartbeat).</summary>
    /// <param name="runId">The run's exact id.</param>
    /// <param name="epoch">The epoch of the caller's claim (<see cref="RunLease.Epoch"/>); the lease is extended only
    /// while it is the run's current one.</param>
    /// <param name="now">The caller's current time: the heartbeat's time and the start of the new duration.</param>
    /// <param name="duration">How long the lease lasts from now.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>False when the caller no longer owns the run (it was superseded); it must stop.</returns>
    Task<bool> RenewLeaseAsync(string runId, long epoch, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives up the caller's lease (the run stopped in this process), so another process can claim the run at
    /// once. Does nothing when the caller no longer owns it.</summary>
    /// <param name="runId">The run's exact id.</param>
    /// <param name="epoch">The epoch of the caller's claim; a lease of another epoch is left as it is.</param>
    /// <param name="now">The caller's clock: the lease expires now.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when the lease is released.</returns>
    Task ReleaseAsync(string runId, long epoch, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The run's lease as it stands (live, lapsed or released), or null for a run never claimed.</summary>
    /// <param name="runId">The run's id (exact).</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<RunLease?> GetLeaseAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Finds a run by its id or by a unique prefix of it.</summary>
    /// <param name="runId">The id or a prefix.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The run, or null.</returns>
    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists runs, newest first.</summary>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 50, CancellationToken cancellationToken = default);

    /// <summary>The recorded steps of a run, in order.</summary>
    /// <param name="runId">The run's exact id (not a prefix); an unknown one gives no steps.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<RunStep>> GetStepsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>What the run needs to continue from its last completed step.</summary>
    /// <param name="runId">The run's id or a unique prefix of it.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The checkpoint, or null for an unknown run.</returns>
    Task<RunCheckpoint?> GetCheckpointAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Records, before it runs, a side-effecting tool call of the step in progress. The next
    /// <see cref="CommitStepAsync"/> clears the run's pending calls in its transaction; a checkpoint read before that
    /// lists them in <see cref="WorkflowState.PendingToolCalls"/>. Stores that do not keep them may ignore this (the
    /// default).</summary>
    /// <param name="runId">The exact id of the run whose step is in progress.</param>
    /// <param name="call">The call about to run; one with the same key replaces it.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when the call is durable.</returns>
    Task AddPendingToolCallAsync(string runId, PendingToolCall call, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
