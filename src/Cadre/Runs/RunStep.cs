using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Runs;

/// <summary>One recorded step of a run: one agent turn, with what it said, the tools it called and what it cost.</summary>
public sealed record RunStep
{
    /// <summary>The id of the run the step belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The step's index, from 1.</summary>
    public required int Index { get; init; }

    /// <summary>The agent that worked.</summary>
    public required string Agent { get; init; }

    /// <summary>When the step started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The messages the step added to the thread.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    /// <summary>The tool calls of the step.</summary>
    public IReadOnlyList<ToolCallRecord> ToolCalls { get; init; } = [];

    /// <summary>Tokens used by the step's model calls (zero for a failed step).</summary>
    public TokenUsage Usage { get; init; }

    /// <summary>The handoff the agent made, if any.</summary>
    public Handoff? Handoff { get; init; }

    /// <summary>The agent's final text in this step.</summary>
    public string Text { get; init; } = "";

    /// <summary>The worst degradation level that served the step's model calls, when the agent's model is a fallback
    /// chain.</summary>
    public ServedLevel? Level { get; init; }

    /// <summary>Why the step failed, when it did and the workflow went on (a task reassigned to another worker).</summary>
    public string? Error { get; init; }
}
