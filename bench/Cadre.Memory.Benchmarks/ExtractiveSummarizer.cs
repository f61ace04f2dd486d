using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace Cadre.Memory.Benchmarks;

/// <summary>
/// A stand-in for a summarising model, for measuring the summarising reducer offline: it keeps the previous summary and
/// the first words of each new message, cut to the requested output size. It measures what a summary costs in tokens
/// and calls, not how good a model's summary is; the benchmark counts evidence only in turns kept whole.
/// </summary>
internal sealed class ExtractiveSummarizer : IChatClient
{
    private int _calls;

    public int Calls => _calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var request = messages.Last().Text;
        var previous = Between(request, "Summary so far:\n", "\n\nNew messages:\n");
        var lines = request[(request.IndexOf("\n\nNew messages:\n", StringComparison.Ordinal) + 16)..].Split('\n');
        var summary = new StringBuilder(previous == "(none)" ? "" : previous);
        foreach (var line in lines)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8);
            summary.Append(' ').Append(string.Join(' ', words)).Append('.');
        }

        var budget = (options?.MaxOutputTokens ?? 400) * 3; // about three characters a token
        var text = summary.ToString().Trim();
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text.Length > budget ? text[^budget..] : text)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        return from < 0 || to < from ? "" : text[(from + start.Length)..to];
    }
}
