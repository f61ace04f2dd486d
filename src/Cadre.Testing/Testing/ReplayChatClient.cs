using System.Runtime.CompilerServices;
using System.Text.Json;
using Cadre.Observability;
using Microsoft.Extensions.AI;

namespace Cadre.Testing;

/// <summary>
/// A model that answers from a <see cref="Cassette"/>: a call whose agent and conversation match a recorded one gets
/// the recorded reply (the same conversation asked again gets the next recording of it, then the last one again).
/// Anything else fails with a <see cref="ReplayMissException"/> that says how to configure a real model.
/// </summary>
public sealed class ReplayChatClient : IChatClient
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _served = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Input, long Output, string? Model)> _usage = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates a replaying model.</summary>
    /// <param name="cassette">The recordings, read once here: interactions added to it later are not served.</param>
    /// <param name="source">Where the cassette came from, for messages (its file name).</param>
    /// <param name="delay">A latency added to every call (for demonstrations and crash tests).</param>
    /// <param name="time">The clock delays wait on.</param>
    public ReplayChatClient(Cassette cassette, string source = "cassette", TimeSpan? delay = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(cassette);
        Source = source;
        Delay = delay ?? TimeSpan.Zero;
        _time = time ?? TimeProvider.System;
        foreach (var interaction in cassette.Interactions)
        {
            var key = Cassette.KeyFor(interaction.Agent, interaction.Request);
            if (!_answers.TryGetValue(key, out var list))
            {
                list = [];
                _answers[key] = list;
            }

            list.Add(JsonSerializer.Serialize(interaction.Response, AIJsonUtilities.DefaultOptions));
            _usage[key + "#" + (list.Count - 1)] = (interaction.InputTokens, interaction.OutputTokens, interaction.ModelId);
        }

        Tasks = cassette.Interactions
            .Select(i => i.Request.FirstOrDefault(m => m.Role == ChatRole.User)?.Text)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Where the cassette came from, as given (its file name); miss messages name it.</summary>
    public string Source { get; }

    /// <summary>The latency added to every call.</summary>
    public TimeSpan Delay { get; }

    /// <summary>The first user messages (tasks) the cassette recorded.</summary>
    public IReadOnlyList<string> Tasks { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages.ToList();
        var agent = CallerContext.Current?.Agent ?? "";
        var key = Cassette.KeyFor(agent, request);
        string json;
        int index;
        lock (_gate)
        {
            if (!_answers.TryGetValue(key, out var answers))
            {
                throw new ReplayMissException(DescribeMiss(agent, request));
            }

            index = Math.Min(_served.GetValueOrDefault(key), answers.Count - 1);
            _served[key] = index + 1;
            json = answers[index];
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, _time, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var reply = JsonSerializer.Deserialize<List<ChatMessage>>(json, AIJsonUtilities.DefaultOptions) ?? [];
        var (input, output, model) = _usage[key + "#" + index];
        return new ChatResponse(reply)
        {
            ModelId = model ?? "replay",
            FinishReason = reply.Any(m => m.Contents.OfType<FunctionCallContent>().Any()) ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType?.IsInstanceOfType(this) == true ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private string DescribeMiss(string agent, IReadOnlyList<ChatMessage> request)
    {
        var last = request.LastOrDefault(m => m.Role != ChatRole.System);
        var lastText = last is null ? "(nothing)" : $"{last.Role}: {Shorten(last.Text.Length > 0 ? last.Text : string.Join(", ", last.Contents.Select(c => c.GetType().Name)))}";
        var tasks = Tasks.Count == 0 ? "nothing" : string.Join(" | ", Tasks.Select(t => $"\"{Shorten(t)}\""));
        return $"The recorded answers in {Source} do not cover this conversation (agent '{(agent.Length == 0 ? "-" : agent)}', last message {lastText}). " +
               $"A cassette only replays what it recorded; it holds answers for: {tasks}. " +
               "To run other tasks, configure a model: --model openai:gpt-4o-mini (set OPENAI_API_KEY, and OPENAI_BASE_URL for an OpenAI-compatible server) " +
               "or --model ollama:llama3.1; add --record <file> to record a new cassette.";
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
