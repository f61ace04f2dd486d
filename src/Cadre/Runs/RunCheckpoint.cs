using Microsoft.Extensions.AI;

namespace Cadre.Runs;

/// <summary>What a run needs to continue: its record, its thread and the workflow's state after the last completed
/// step.</summary>
public sealed record RunCheckpoint(RunRecord Run, IReadOnlyList<ChatMessage> Thread, WorkflowState State);
