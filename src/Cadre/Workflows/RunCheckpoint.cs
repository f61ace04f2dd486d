using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>What a run needs to continue: its record, its thread and the workflow's state after the last completed
/// step.</summary>
/// <param name="Run">The run.</param>
/// <param name="Thread">The run's thread.</param>
/// <param name="State">The workflow's state.</param>
public sealed record RunCheckpoint(RunRecord Run, IReadOnlyList<ChatMessage> Thread, WorkflowState State);
