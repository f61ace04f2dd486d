using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>
/// Work a run does besides its steps: after each step (publish a handoff to a blackboard) and once the run has ended
/// (record an episode, extract memories). Hooks are given in <see cref="RunOptions.Hooks"/>. A hook that fails does not
/// change the run's outcome: its error is reported to the run's observer as a notice.
/// </summary>
public interface IRunHook
{
    /// <summary>The hook's name, as <see cref="RunRecord.PendingWork"/> records it until its post-run work is done
    /// (the type's name by default; give hooks of one type different names).</summary>
    string Name => GetType().Name;

    /// <summary>Called after a step has been committed to the workspace.</summary>
    /// <param name="step">The step, the run and the thread so far.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnStepCompletedAsync(CompletedStep step, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called once the run has ended (completed, failed or cancelled) and its outcome is recorded. Post-run
    /// work is at-least-once: a process that dies during it leaves the hook in <see cref="RunRecord.PendingWork"/> and
    /// resuming the run calls it again, so it should tolerate a repeat (or write under the run's id).</summary>
    /// <param name="run">The run, its steps and its thread.</param>
    /// <param name="cancellationToken">Not the run's token: the run is over; hooks should finish their work.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnRunFinishedAsync(FinishedRun run, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
