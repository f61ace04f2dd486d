namespace Cadre.Conversations;

/// <summary>Keeps conversations' running summaries next to the conversations (in the workspace), so they are computed
/// once and reused across calls, turns and processes.</summary>
public interface ISummaryStore
{
    /// <summary>Reads a conversation's summary.</summary>
    /// <param name="conversationId">The conversation's id (for an agent in a run: <c>&lt;run&gt;/&lt;agent&gt;</c>),
    /// compared exactly.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The summary, or null.</returns>
    Task<ConversationSummary?> GetAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Stores a conversation's summary, replacing the previous one.</summary>
    /// <param name="summary">The summary, stored under its <see cref="ConversationSummary.ConversationId"/>.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when it is stored.</returns>
    Task SaveAsync(ConversationSummary summary, CancellationToken cancellationToken = default);
}
