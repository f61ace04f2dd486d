using Cadre.Agents;

namespace Cadre.Workflows;

/// <summary>The outcome of a workflow run.</summary>
/// <param name="Id">The run's id (for <c>cadre runs show</c> and resuming).</param>
/// <param name="Status">How it ended.</param>
/// <param name="Answer">The final answer, if any.</param>
/// <param name="Error">Why it failed, if it did.</param>
/// <param name="Steps">Every step, in order.</param>
/// <param name="Usage">Tokens used by all steps.</param>
public sealed record WorkflowRun(
    string Id,
    RunStatus Status,
    string? Answer,
    string? Error,
    IReadOnlyList<RunStep> Steps,
    TokenUsage Usage);
