using Cadre.Observability;
using Cadre.Runs;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>What an <see cref="IRunHook"/> is told after a step.</summary>
/// <param name="Run">The run as it stands after the step.</param>
/// <param name="Step">The step as committed (the hook runs after the commit): its agent, messages, tool calls,
/// tokens and time.</param>
/// <param name="Thread">The run's thread including the step's messages.</param>
/// <param name="Workspace">The workspace the run is recorded in.</param>
/// <param name="Observer">Who watches the run.</param>
/// <param name="Time">The run's clock (<see cref="RunOptions.Time"/>); stamp what the hook writes with it so a
/// fake clock in tests governs it too.</param>
public sealed record CompletedStep(RunRecord Run, RunStep Step, IReadOnlyList<ChatMessage> Thread, IWorkspace Workspace, IRunObserver Observer, TimeProvider Time);
