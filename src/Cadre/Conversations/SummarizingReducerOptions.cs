using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>How a <see cref="SummarizingReducer"/> keeps its summary.</summary>
public sealed record SummarizingReducerOptions
{
    /// <summary>Where summaries are kept; when null, the store the caller passes
    /// (<see cref="ReductionContext.Summaries"/>: an agent's turn passes its run workspace's), or the reducer's own memory
    /// when it passes none.</summary>
    public ISummaryStore? Store { get; init; }

    /// <summary>Names the conversation being reduced; when null, an agent in a run uses <c>&lt;run&gt;/&lt;agent&gt;</c>
    /// and anything else a hash of its first message.</summary>
    public Func<IReadOnlyList<ChatMessage>, string>? ConversationId { get; init; }

    /// <summary>The largest share of the budget the summary may take (default 0.25).</summary>
    public double SummaryShare { get; init; } = 0.25;

    /// <summary>When turns must be folded in, the share of the recent-turns budget folded in as well (default 0.3), so
    /// the next calls of a turn (each tool round adds messages) reuse the summary instead of writing it again.</summary>
    public double FoldHeadroom { get; init; } = 0.3;

    /// <summary>The instructions the summarising model gets.</summary>
    public string Instructions { get; init; } =
        "You keep the running summary of a conversation for an AI agent that can no longer see its older turns. Fold the new messages into the summary. " +
        "Keep what the agent may need later: names, ids, numbers, dates, decisions, preferences, promises, open questions and what tools returned. " +
        "Drop pleasantries and repetition. Write plain sentences, at most {words} words.";
}
