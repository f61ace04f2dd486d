using Cadre.Conversations;

namespace Cadre.Runs;

/// <summary>A run as the workspace keeps it: what it was asked, how it stands, what it answered and cost.</summary>
public sealed record RunRecord
{
    /// <summary>The run's id, unique in its workspace (<c>r261124-141523-a3f9</c> unless the caller chose one).</summary>
    public required string Id { get; init; }

    /// <summary>The workflow kind (<c>sequential</c>, <c>handoff</c>, ...).</summary>
    public required string Workflow { get; init; }

    /// <summary>The task the run was started with, as the user wrote it.</summary>
    public required string Task { get; init; }

    /// <summary>Where the run stands.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>When the run was created, by the run's clock; a resumed run keeps it.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended, if it has.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The final answer, if any.</summary>
    public string? Answer { get; init; }

    /// <summary>Why it failed, if it did.</summary>
    public string? Error { get; init; }

    /// <summary>Tokens used by all its steps.</summary>
    public TokenUsage Usage { get; init; }

    /// <summary>How many steps were recorded.</summary>
    public int Steps { get; init; }

    /// <summary>Post-run work (the names of <see cref="Workflows.IRunHook"/>s) that was due when the run ended and has not yet
    /// finished: recorded with the run's final status, removed as each piece finishes, and done again when the run is
    /// resumed, so a crash after the last step loses none of it.</summary>
    public IReadOnlyList<string> PendingWork { get; init; } = [];

    /// <summary>What the host wants to remember about the run (the spec it came from, the model) to resume it.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
