using Cadre.Memory.Episodes;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>How an <see cref="EpisodeRecorder"/> records runs.</summary>
public sealed record EpisodeRecorderOptions
{
    /// <summary>A model that reads the finished run and writes its lessons and task type; no model call when null.</summary>
    public IChatClient? Model { get; init; }

    /// <summary>Lessons given by the host for a run (added to the model's).</summary>
    public Func<FinishedRunSummary, IReadOnlyList<string>>? Lessons { get; init; }

    /// <summary>Agents whose involvement means the run was escalated (default: <c>escalation</c>).</summary>
    public IReadOnlySet<string> EscalationAgents { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "escalation" };

    /// <summary>At most this many lessons from the model (default 3).</summary>
    public int MaxLessons { get; init; } = 3;

    /// <summary>The price of a million input tokens, to record a cost; no cost when null.</summary>
    public decimal? InputTokenPrice { get; init; }

    /// <summary>The price of a million output tokens.</summary>
    public decimal? OutputTokenPrice { get; init; }
}
