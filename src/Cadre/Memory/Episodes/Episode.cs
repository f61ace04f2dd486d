using System.Text.Json.Serialization;
using Cadre.Conversations;

namespace Cadre.Memory.Episodes;

/// <summary>A remembered run: the task, who worked on it and how, how it ended, what was learned, how long it took
/// and what it cost.</summary>
public sealed record Episode
{
    /// <summary>The episode's id (the run's id when it was recorded from a run).</summary>
    public required string Id { get; init; }

    /// <summary>The scope it was written at, exactly; readers on that scope's line see it
    /// (<see cref="Cadre.Memory.MemoryScope.Sees"/>).</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>The task, as the user wrote it.</summary>
    public required string Task { get; init; }

    /// <summary>What kind of task it was (<c>billing/refund</c>); lessons are looked up by it.</summary>
    public string TaskType { get; init; } = "";

    /// <summary>The agents involved, in the order they first worked.</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>The steps of the run, in order.</summary>
    public IReadOnlyList<EpisodeStep> Steps { get; init; } = [];

    /// <summary>Success, failure (the run failed or was cancelled) or escalated; shown with each lesson taken from
    /// it.</summary>
    public EpisodeOutcome Outcome { get; init; }

    /// <summary>The answer, or why it failed.</summary>
    public string Result { get; init; } = "";

    /// <summary>What was learned, for similar tasks later.</summary>
    public IReadOnlyList<string> Lessons { get; init; } = [];

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The run's input and output tokens: its run record's totals over all its steps.</summary>
    public TokenUsage Usage { get; init; }

    /// <summary>What it cost in money, when token prices were configured.</summary>
    public decimal? Cost { get; init; }

    /// <summary>When <see cref="EpisodicMemory.RecordAsync"/> stored it (its clock, to the millisecond), unless the
    /// caller set it.</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>The embedding of <see cref="SearchText"/>, once stored; empty before.</summary>
    [JsonIgnore]
    public ReadOnlyMemory<float> Embedding { get; init; }

    /// <summary>The model that made <see cref="Embedding"/>.</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary>What similarity is judged on: the task, its type and the lessons.</summary>
    [JsonIgnore]
    public string SearchText => string.Join('\n', [Task, TaskType, .. Lessons]);
}
