using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>Keeps the message history of conversation threads, so a run can be inspected and resumed.</summary>
public interface IConversationStore
{
    /// <summary>Loads a thread's messages in order (empty for an unknown thread).</summary>
    Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Appends messages to a thread.</summary>
    /// <param name="conversationId">The thread to add to (a workflow run's thread has the run's id); an unknown id
    /// starts a new thread.</param>
    /// <param name="messages">The messages, in order.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when the messages are stored.</returns>
    Task AppendAsync(string conversationId, IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default);
}
