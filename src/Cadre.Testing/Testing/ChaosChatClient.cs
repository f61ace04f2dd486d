using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;

namespace Cadre.Testing;

/// <summary>A model whose calls go through a chaos pipeline first (made by <see cref="Chaos.Wrap(IChatClient, string)"/>).</summary>
internal sealed class ChaosChatClient(IChatClient inner, ResiliencePipeline<ChatResponse> pipeline, ResiliencePipeline streamPipeline) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        return await pipeline.ExecuteAsync(
            static async (state, token) => await state.Inner.GetResponseAsync(state.List, state.Options, token),
            (Inner: InnerClient, List: list, Options: options),
            cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Faults and latency strike before the stream opens, like a connection that never answers.
        await streamPipeline.ExecuteAsync(static _ => ValueTask.CompletedTask, cancellationToken);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }
}
