using Cadre.Runs;
using Cadre.Workflows;

namespace Cadre.Hosting;

/// <summary>How a run ended: the workflow's outcome (its steps) and the run as the workspace recorded it.</summary>
/// <param name="Run">The outcome: status, answer, error and the steps taken.</param>
/// <param name="Record">The run's record in the workspace (usage, metadata, times).</param>
public sealed record RunResult(WorkflowRun Run, RunRecord Record)
{
    /// <summary>The run as one JSON object, as <c>cadre run --json</c> prints it.</summary>
    /// <returns>A new object each call (see <see cref="RunReport.ToJson"/> for its fields).</returns>
    public System.Text.Json.Nodes.JsonObject ToJson() => RunReport.ToJson(Record, Run.Steps);
}
