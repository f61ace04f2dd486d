using System.Text.Json;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>
/// Adds its own part to every checkpoint and restores it on resume: the extension point for state that lives outside
/// the thread and the workflow's position — for example the shared-memory changes a step made. What
/// <see cref="CaptureAsync"/> returns is stored in <see cref="WorkflowState.Extensions"/> under <see cref="Name"/>,
/// so it is written in the same transaction as the step; <see cref="RestoreAsync"/> gets it back when the run
/// resumes. Register contributors in <see cref="RunOptions.CheckpointContributors"/>.
/// </summary>
public interface ICheckpointContributor
{
    /// <summary>The key of this contributor's part (unique among the run's contributors).</summary>
    string Name { get; }

    /// <summary>Captures this contributor's part after a step, before it is committed.</summary>
    /// <param name="context">The run, step and workspace.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The part to store, or null to store nothing.</returns>
    ValueTask<JsonElement?> CaptureAsync(CheckpointContext context, CancellationToken cancellationToken);

    /// <summary>Restores this contributor's part when a run resumes from its checkpoint.</summary>
    /// <param name="context">The run, its last completed step and the workspace.</param>
    /// <param name="saved">The part stored with that step, or null when none was.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the part is restored.</returns>
    ValueTask RestoreAsync(CheckpointContext context, JsonElement? saved, CancellationToken cancellationToken);
}
