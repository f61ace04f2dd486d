using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>The outcome of a workflow run.</summary>
/// <param name="Id">The run's id (for <c>cadre runs show</c> and resuming).</param>
/// <param name="Status">Where the run stands as the call returns: completed (with the answer), failed, cancelled,
/// stopped at a budget or escalated.</param>
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
    TokenUsage Usage)
{
    /// <summary>The worst degradation level that served any step (null when no step used a fallback chain).</summary>
    public ServedLevel? Level => Steps.Aggregate((ServedLevel?)null, (worst, step) => ServedLevel.Worse(worst, step.Level));

    /// <summary>True when the run completed but some step was answered below the best level.</summary>
    public bool IsDegraded => Status == RunStatus.Completed && Level?.IsDegraded == true;
}
