using Cadre.Observability;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>How a workflow run is carried out.</summary>
public sealed record RunOptions
{
    /// <summary>The run's id; a new one when null.</summary>
    public string? RunId { get; init; }

    /// <summary>Who watches the run.</summary>
    public IRunObserver Observer { get; init; } = RunObserver.None;

    /// <summary>The clock for steps' times and the run's budget; a fake one in tests.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The most steps a run may take before it fails (default 32): a guard against agents that hand a
    /// thread back and forth for ever.</summary>
    public int MaxSteps { get; init; } = 32;

    /// <summary>What the host wants recorded with the run (spec, model) so it can be resumed.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Caps on tokens, cost, steps and wall time; at a cap the run stops cleanly as
    /// <see cref="RunStatus.Stopped"/>. None when null.</summary>
    public RunBudget? Budget { get; init; }

    /// <summary>Who decides when the workflow escalates (a terminal prompt, a pager); escalations are recorded and the
    /// run stops as <see cref="RunStatus.Escalated"/> when null.</summary>
    public IEscalationHandler? Escalation { get; init; }

    /// <summary>What adds its own part to every checkpoint (shared memory, say) and restores it on resume.</summary>
    public IReadOnlyList<ICheckpointContributor> CheckpointContributors { get; init; } = [];

    /// <summary>Who claims the run; a new owner in this process when null. A run has one owner at a time (see
    /// <see cref="IRunStore.ClaimAsync"/>).</summary>
    public RunOwner? Owner { get; init; }

    /// <summary>How long the run's lease lasts without a heartbeat (default 15 s; renewed every third of it). A process
    /// that dies leaves the run to be taken over when this has passed — at once on the same host when the store backs
    /// the lease with an OS lock.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Where the runtime reports reaching a fault point (a crash harness); none when null.</summary>
    public Cadre.Resilience.IFaultInjector? Faults { get; init; }

    /// <summary>True when a person decided that side-effecting calls whose outcome is unknown may be made again even
    /// though their tools are not idempotent. Off by default: such a call escalates instead.</summary>
    public bool RepeatUnknownOutcomes { get; init; }

    /// <summary>Work done after each step and when the run ends (record an episode, write memories, publish
    /// handoffs); called in order.</summary>
    public IReadOnlyList<IRunHook> Hooks { get; init; } = [];
}
