using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Cadre.Reliability.Benchmarks;

/// <summary>A model that answers at once with the same reply: the cost of the model is nothing, so what is measured
/// is the cost of what wraps it.</summary>
public sealed class EchoChatClient : IChatClient
{
    private readonly ChatResponse _reply;

    /// <summary>Creates the model.</summary>
    /// <param name="text">What it always says.</param>
    public EchoChatClient(string text = "The duplicate charge was refunded.")
    {
        _reply = new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 10 } };
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_reply);

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var update in _reply.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
