using System.Globalization;
using System.Text;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Observability;
using Cadre.Runs;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>
/// Records an episode after every run (an <see cref="IRunHook"/> for <see cref="RunOptions.Hooks"/>): the task, the
/// agents and their steps, the outcome (success, failure, or escalated when an escalation agent was involved), the
/// duration, tokens and cost, and lessons — from a model when one is configured, and any the host gives.
/// </summary>
public sealed class EpisodeRecorder : IRunHook
{
    /// <summary>The run metadata key that names a run's task type, when the host knows it.</summary>
    public const string TaskTypeKey = "task-type";

    private readonly EpisodicMemory _memory;
    private readonly MemoryScope _scope;
    private readonly EpisodeRecorderOptions _options;

    /// <summary>Creates the recorder; add it to <see cref="RunOptions.Hooks"/>.</summary>
    /// <param name="memory">The episodic memory that embeds and stores each episode, and whose clock stamps it.</param>
    /// <param name="scope">The scope they are stored in.</param>
    /// <param name="options">Model, lessons, escalation agents, prices.</param>
    public EpisodeRecorder(EpisodicMemory memory, MemoryScope scope, EpisodeRecorderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(scope);
        _memory = memory;
        _scope = scope;
        _options = options ?? new EpisodeRecorderOptions();
    }

    /// <inheritdoc />
    public async ValueTask OnRunFinishedAsync(FinishedRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var episode = Describe(run);
        var lessons = new List<string>(_options.Lessons?.Invoke(new FinishedRunSummary(episode, run.Run.Metadata)) ?? []);
        var taskType = run.Run.Metadata.GetValueOrDefault(TaskTypeKey);
        if (_options.Model is { } model)
        {
            try
            {
                var (reflection, problem) = await StructuredReply.AskAsync<EpisodeReflection>(model, Prompt(episode), cancellationToken);
                if (reflection is null)
                {
                    run.Observer.OnEvent(new RunNotice(run.Run.Id, run.Time.GetUtcNow(), $"episode recorded without lessons: {problem}"));
                }
                else
                {
                    lessons.AddRange(reflection.Lessons.Where(l => !string.IsNullOrWhiteSpace(l)).Take(_options.MaxLessons));
                    taskType ??= string.IsNullOrWhiteSpace(reflection.TaskType) ? null : reflection.TaskType.Trim();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                run.Observer.OnEvent(new RunNotice(run.Run.Id, run.Time.GetUtcNow(), $"episode recorded without lessons: the model failed ({ex.Message})"));
            }
        }

        var stored = await _memory.RecordAsync(episode with
        {
            Lessons = lessons,
            TaskType = taskType ?? episode.TaskType,
        }, cancellationToken);
        run.Observer.OnEvent(new RunNotice(run.Run.Id, run.Time.GetUtcNow(),
            $"episode recorded: {stored.Outcome.ToString().ToLowerInvariant()}, {stored.Lessons.Count} lesson(s)"));
    }

    /// <summary>Describes a finished run as an episode, without lessons.</summary>
    public Episode Describe(FinishedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var record = run.Run;
        var steps = run.Steps.Select(s => new EpisodeStep(s.Agent, s.ToolCalls.Select(c => c.Tool).ToList(), s.Handoff?.To)).ToList();
        var agents = run.Steps.Select(s => s.Agent).Distinct(StringComparer.Ordinal).ToList();
        var outcome = record.Status != RunStatus.Completed ? EpisodeOutcome.Failure
            : agents.Any(_options.EscalationAgents.Contains) ? EpisodeOutcome.Escalated
            : EpisodeOutcome.Success;
        var usage = record.Usage;
        decimal? cost = _options.InputTokenPrice is null && _options.OutputTokenPrice is null
            ? null
            : ((usage.InputTokens * (_options.InputTokenPrice ?? 0)) + (usage.OutputTokens * (_options.OutputTokenPrice ?? 0))) / 1_000_000m;
        return new Episode
        {
            Id = record.Id,
            Scope = _scope,
            Task = record.Task,
            TaskType = run.LastAgent ?? run.Workflow.Kind,
            Agents = agents,
            Steps = steps,
            Outcome = outcome,
            Result = (record.Status == RunStatus.Completed ? record.Answer : record.Error) ?? "",
            StartedAt = record.StartedAt,
            Duration = (record.EndedAt ?? run.Time.GetUtcNow()) - record.StartedAt,
            Usage = usage,
            Cost = cost,
        };
    }

    private static List<ChatMessage> Prompt(Episode episode)
    {
        // Only what the run did goes into the prompt (no ids, no clock), so a recorded cassette replays it.
        var text = new StringBuilder()
            .Append("Task: ").AppendLine(episode.Task)
            .Append("Outcome: ").AppendLine(episode.Outcome.ToString().ToLowerInvariant())
            .AppendLine("Steps:");
        for (var i = 0; i < episode.Steps.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. ").AppendLine(episode.Steps[i].ToString());
        }

        text.Append(episode.Outcome == EpisodeOutcome.Failure ? "Error: " : "Answer: ").AppendLine(episode.Result);
        return
        [
            new(ChatRole.System,
                "You review finished runs of a multi-agent system. Name the kind of task in a few words, and write at most three short, " +
                "reusable lessons that would make a similar task go better or faster next time (what worked, what to check first, what to avoid). " +
                "Write no lesson that only restates the task."),
            new(ChatRole.User, text.ToString()),
        ];
    }
}
