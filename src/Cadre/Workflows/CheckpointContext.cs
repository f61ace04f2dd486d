using Cadre.Workspaces;

namespace Cadre.Workflows;

/// <summary>Where a checkpoint is taken or restored: the run, the step and the workspace.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="Step">The step just completed (when capturing) or the last completed step (when restoring).</param>
/// <param name="Workspace">The workspace the run is recorded in, whose stores a contributor may read.</param>
public sealed record CheckpointContext(string RunId, int Step, IWorkspace Workspace);
