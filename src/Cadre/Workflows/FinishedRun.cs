using Cadre.Observability;
using Cadre.Runs;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>What an <see cref="IRunHook"/> is told when a run has ended.</summary>
/// <param name="Run">The run as recorded: status, task, answer or error, start and end, usage, metadata.</param>
/// <param name="Workflow">The workflow that ran it.</param>
/// <param name="Steps">Every step, in order.</param>
/// <param name="Thread">The run's whole thread.</param>
/// <param name="Workspace">The workspace the run is recorded in.</param>
/// <param name="Observer">Who watches the run.</param>
/// <param name="Time">The run's clock (<see cref="RunOptions.Time"/>); stamp what the hook writes with it so a
/// fake clock in tests governs it too.</param>
public sealed record FinishedRun(
    RunRecord Run,
    Workflow Workflow,
    IReadOnlyList<RunStep> Steps,
    IReadOnlyList<ChatMessage> Thread,
    IWorkspace Workspace,
    IRunObserver Observer,
    TimeProvider Time)
{
    /// <summary>The agent of the last step (the one that answered or stopped), or null when no step ran.</summary>
    public string? LastAgent => Steps.Count > 0 ? Steps[^1].Agent : null;
}
