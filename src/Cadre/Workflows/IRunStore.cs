using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>Keeps runs, their steps and checkpoints. Every step is written in one transaction with the messages it
/// added and the state after it, so a crash loses at most the step in progress.</summary>
public interface IRunStore
{
    /// <summary>Records a new run with its first messages (the task) and initial state.</summary>
    /// <param name="run">The run.</param>
    /// <param name="messages">The thread's first messages.</param>
    /// <param name="state">The workflow's initial state.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the run is stored.</returns>
    Task CreateRunAsync(RunRecord run, IReadOnlyList<ChatMessage> messages, WorkflowState state, CancellationToken cancellationToken = default);

    /// <summary>Records a step, the messages it added and the state after it, in one transaction.</summary>
    /// <param name="commit">The step.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the step is stored.</returns>
    Task CommitStepAsync(StepCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Updates a run's status, answer, error, end time and usage.</summary>
    /// <param name="run">The run as it now stands.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the run is stored.</returns>
    Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Finds a run by its id or by a unique prefix of it.</summary>
    /// <param name="runId">The id or a prefix.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run, or null.</returns>
    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists runs, newest first.</summary>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 50, CancellationToken cancellationToken = default);

    /// <summary>The recorded steps of a run, in order.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The steps.</returns>
    Task<IReadOnlyList<RunStep>> GetStepsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>What the run needs to continue from its last completed step.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint, or null for an unknown run.</returns>
    Task<RunCheckpoint?> GetCheckpointAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Records, before it runs, a side-effecting tool call of the step in progress. The next
    /// <see cref="CommitStepAsync"/> clears the run's pending calls in its transaction; a checkpoint read before that
    /// lists them in <see cref="WorkflowState.PendingToolCalls"/>. Stores that do not keep them may ignore this (the
    /// default).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="call">The call about to run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the call is durable.</returns>
    Task AddPendingToolCallAsync(string runId, PendingToolCall call, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
