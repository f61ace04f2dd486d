using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Cadre.Resilience;

/// <summary>Applies a degradation level's limits to each request (tools off, output capped, its note) and marks each
/// response with the level that served it.</summary>
internal sealed class LevelChatClient(DegradationLevel level, ServedLevel served) : DelegatingChatClient(level.Client)
{
    public DegradationLevel Level { get; } = level;

    public ServedLevel Served { get; } = served;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(Limit(messages), Limit(options), cancellationToken);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ServedLevel.PropertyName] = Served;
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(Limit(messages), Limit(options), cancellationToken))
        {
            update.AdditionalProperties ??= [];
            update.AdditionalProperties[ServedLevel.PropertyName] = Served;
            yield return update;
        }
    }

    private IEnumerable<ChatMessage> Limit(IEnumerable<ChatMessage> messages)
    {
        var note = Level.Note ?? (Level.ToolsEnabled ? null : DegradationLevel.NoToolsNote);
        if (note is null)
        {
            return messages;
        }

        // The note goes after the leading system messages (instructions), before the conversation.
        var list = messages.ToList();
        var at = list.TakeWhile(m => m.Role == ChatRole.System).Count();
        list.Insert(at, new ChatMessage(ChatRole.System, note));
        return list;
    }

    private ChatOptions? Limit(ChatOptions? options)
    {
        if (Level.ToolsEnabled && Level.MaxOutputTokens is null)
        {
            return options;
        }

        var limited = options?.Clone() ?? new ChatOptions();
        if (!Level.ToolsEnabled)
        {
            limited.Tools = null;
            limited.ToolMode = null;
        }

        if (Level.MaxOutputTokens is int max)
        {
            limited.MaxOutputTokens = Math.Min(limited.MaxOutputTokens ?? max, max);
        }

        return limited;
    }
}
