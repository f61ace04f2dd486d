using Microsoft.Extensions.AI;

namespace Cadre.Benchmarks;

/// <summary>A model that asks for one tool call, then answers once it has the result. Each reply is new, as a real
/// client's is (FunctionInvokingChatClient marks the calls it has handled).</summary>
internal sealed class OneCallModel(Dictionary<string, object?> arguments) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(messages.LastOrDefault()?.Role == ChatRole.Tool
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "It is paid."))
            : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "lookup_invoice", arguments)])));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmark does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
