using System.Runtime.CompilerServices;
using Cadre.Observability;
using Microsoft.Extensions.AI;

namespace Cadre.Testing;

/// <summary>
/// Records every call to the model it wraps into a cassette file, which <see cref="ReplayChatClient"/> can answer
/// from later (offline, in tests, in demonstrations). The file is rewritten atomically after every call, so a
/// crash keeps what was recorded; an existing cassette is added to.
/// </summary>
public sealed class RecordingChatClient : DelegatingChatClient
{
    private readonly Cassette _cassette;

    /// <summary>Wraps <paramref name="inner"/> and records into <paramref name="path"/>.</summary>
    /// <param name="inner">The model that answers; each reply is recorded once it has come back (a failed call is not).</param>
    /// <param name="path">The cassette file; an existing one is loaded and added to, a missing one is written at the first call.</param>
    public RecordingChatClient(IChatClient inner, string path)
        : base(inner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _cassette = File.Exists(path) ? Cassette.Load(path) : new Cassette();
    }

    /// <summary>The cassette file, as given; rewritten after every call.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages.Select(m => m.Clone()).ToList();
        var response = await base.GetResponseAsync(request, options, cancellationToken);
        Record(request, response);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages.Select(m => m.Clone()).ToList();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(request, options, cancellationToken))
        {
            updates.Add(update);
            yield return update;
        }

        Record(request, updates.ToChatResponse());
    }

    private void Record(List<ChatMessage> request, ChatResponse response)
    {
        _cassette.Add(new CassetteInteraction(
            CallerContext.Current?.Agent ?? "",
            request,
            response.Messages.Select(m => m.Clone()).ToList(),
            response.Usage?.InputTokenCount ?? 0,
            response.Usage?.OutputTokenCount ?? 0,
            response.ModelId));
        _cassette.Save(Path);
    }
}
