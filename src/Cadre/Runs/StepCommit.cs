using Microsoft.Extensions.AI;

namespace Cadre.Runs;

/// <summary>What is written after a step, in one transaction: the step, the messages it added to the thread, and
/// the workflow's state after it (the checkpoint).</summary>
/// <param name="Step">The step, with its run id and index (from 1); the checkpoint must be at the step before.</param>
/// <param name="Messages">The messages the step added to the run's thread.</param>
/// <param name="State">The workflow's state after the step.</param>
public sealed record StepCommit(RunStep Step, IReadOnlyList<ChatMessage> Messages, WorkflowState State)
{
    /// <summary>The committing owner's epoch (<see cref="RunLease.Epoch"/>; 0 for a run never claimed). The store
    /// writes the step only while this is the run's epoch.</summary>
    public long Epoch { get; init; }
}
