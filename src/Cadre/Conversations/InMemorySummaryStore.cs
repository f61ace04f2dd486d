using System.Collections.Concurrent;

namespace Cadre.Conversations;

/// <summary>Conversation summaries kept in memory. Thread-safe.</summary>
public sealed class InMemorySummaryStore : ISummaryStore
{
    private readonly ConcurrentDictionary<string, ConversationSummary> _summaries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<ConversationSummary?> GetAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return Task.FromResult(_summaries.GetValueOrDefault(conversationId));
    }

    /// <inheritdoc />
    public Task SaveAsync(ConversationSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        _summaries[summary.ConversationId] = summary;
        return Task.CompletedTask;
    }
}
