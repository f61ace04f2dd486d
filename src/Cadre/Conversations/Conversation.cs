using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// The ordered message history of one thread: what users, agents and tools said. Messages are added in order;
/// <see cref="SaveAsync"/> writes the ones not yet stored.
/// </summary>
public sealed class Conversation
{
    private readonly List<ChatMessage> _messages;
    private int _stored;

    /// <summary>Creates an empty conversation.</summary>
    /// <param name="id">The thread's id; a new one when null.</param>
    public Conversation(string? id = null)
        : this(id ?? Guid.NewGuid().ToString("n"), [], 0)
    {
    }

    private Conversation(string id, List<ChatMessage> messages, int stored)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
        _messages = messages;
        _stored = stored;
    }

    /// <summary>The id the thread is stored under; 32 hex digits of a new GUID when none was given, never blank.</summary>
    public string Id { get; }

    /// <summary>The messages, oldest first.</summary>
    public IReadOnlyList<ChatMessage> Messages => _messages;

    /// <summary>Loads a conversation from a store.</summary>
    /// <returns>The conversation (empty for an unknown id).</returns>
    public static async Task<Conversation> LoadAsync(IConversationStore store, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var messages = await store.LoadAsync(id, cancellationToken);
        return new Conversation(id, [.. messages], messages.Count);
    }

    /// <summary>Appends a message in memory; it is written at the next <see cref="SaveAsync"/>.</summary>
    public void Add(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _messages.Add(message);
    }

    /// <summary>Adds messages in order.</summary>
    public void AddRange(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            Add(message);
        }
    }

    /// <summary>Writes the messages added since the conversation was loaded or last saved.</summary>
    /// <param name="store">The store to append to, under <see cref="Id"/>; normally the one the conversation was loaded
    /// from, since the messages loaded are not written again.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when they are stored.</returns>
    public async Task SaveAsync(IConversationStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (_stored == _messages.Count)
        {
            return;
        }

        await store.AppendAsync(Id, _messages.Skip(_stored).ToList(), cancellationToken);
        _stored = _messages.Count;
    }
}
