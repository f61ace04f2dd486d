using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cadre.Conversations;
using Cadre.Observability;
using Cadre.Resilience;
using Microsoft.Extensions.AI;

namespace Cadre.Testing;

/// <summary>
/// A model that plays back canned replies in order: text, tool calls (valid or deliberately malformed) and
/// failures, each optionally after a delay and only for a given agent. Usage is counted with real tokenizers, so
/// budgets and reports behave as with a real model. Every request it receives is kept in <see cref="Requests"/>.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Lock _gate = new();
    private readonly List<ScriptedReply> _replies;
    private readonly List<IReadOnlyList<ChatMessage>> _requests = [];
    private readonly List<ChatOptions?> _options = [];
    private readonly TimeProvider _time;
    private int _calls;

    /// <summary>Creates a client that plays <paramref name="replies"/> in order.</summary>
    /// <param name="replies">The replies, copied: changing the sequence afterwards changes nothing.</param>
    /// <param name="delay">A latency added to every call (for demonstrations and crash tests).</param>
    /// <param name="time">The clock delays wait on; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="perAgent">True to give each agent the next reply meant for it (or for any agent), in the script's
    /// order among that agent's replies, rather than the script's next reply whoever asks: a run resumed by a new
    /// process starts again at its step's agent, and its first reply is the one it gets.</param>
    public ScriptedChatClient(IEnumerable<ScriptedReply> replies, TimeSpan? delay = null, TimeProvider? time = null, bool perAgent = false)
    {
        ArgumentNullException.ThrowIfNull(replies);
        _replies = [.. replies];
        PerAgent = perAgent;
        Delay = delay ?? TimeSpan.Zero;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The latency added to every call.</summary>
    public TimeSpan Delay { get; }

    /// <summary>True when each agent gets the next reply meant for it (<c>"order": "per-agent"</c> in a script file).</summary>
    public bool PerAgent { get; }

    /// <summary>The requests received, in order (the messages as sent).</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>The chat options received with each request, in order (tools offered, temperature, ...).</summary>
    public IReadOnlyList<ChatOptions?> Options
    {
        get
        {
            lock (_gate)
            {
                return _options.ToList();
            }
        }
    }

    /// <summary>How many replies are left.</summary>
    public int Remaining
    {
        get
        {
            lock (_gate)
            {
                return _replies.Count;
            }
        }
    }

    /// <summary>Loads a script file: <c>{ "replies": [ { "agent": "triage", "text": "...", "toolCalls": [ { "name":
    /// "search_customer", "arguments": { ... } } ], "error": "...", "statusCode": 429, "retryAfterMs": 2000, "delayMs": 100 } ] }</c> (or the
    /// array alone); <c>"order": "per-agent"</c> beside the replies gives each agent the next reply meant for it.</summary>
    /// <param name="path">The script file, read once here.</param>
    /// <param name="delay">A latency added to every call.</param>
    /// <param name="time">The clock delays wait on; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="FormatException">The file is not a valid script; the message says where.</exception>
    public static ScriptedChatClient FromFile(string path, TimeSpan? delay = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var json = File.ReadAllText(path);
        var perAgent = JsonNode.Parse(json) is JsonObject root && root["order"]?.GetValue<string>() is "per-agent";
        return new ScriptedChatClient(ParseScript(json, path), delay, time, perAgent);
    }

    /// <summary>Parses a script's JSON text.</summary>
    /// <param name="json">An object with a <c>replies</c> array, or the array alone (see <see cref="FromFile"/>).</param>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <returns>The replies in the script's order; <c>"order"</c> is not read here (<see cref="FromFile"/> reads it).</returns>
    /// <exception cref="FormatException">The text is not a valid script.</exception>
    public static IReadOnlyList<ScriptedReply> ParseScript(string json, string source = "script")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON ({ex.Message}).", ex);
        }

        var items = root switch
        {
            JsonArray array => array,
            JsonObject obj when obj["replies"] is JsonArray array => array,
            _ => throw new FormatException($"{source}: expected an object with a \"replies\" array, or an array of replies."),
        };

        var replies = new List<ScriptedReply>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item)
            {
                throw new FormatException($"{source}: reply {i + 1} is not an object.");
            }

            var calls = new List<ScriptedToolCall>();
            if (item["toolCalls"] is JsonArray toolCalls)
            {
                foreach (var call in toolCalls)
                {
                    var name = call?["name"]?.GetValue<string>()
                        ?? throw new FormatException($"{source}: reply {i + 1} has a tool call without a \"name\".");
                    var arguments = call["arguments"] switch
                    {
                        null => "{}",
                        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                        JsonNode n => n.ToJsonString(),
                    };
                    calls.Add(new ScriptedToolCall(name, arguments));
                }
            }

            replies.Add(new ScriptedReply
            {
                Text = item["text"]?.GetValue<string>(),
                ToolCalls = calls,
                Error = item["error"]?.GetValue<string>(),
                StatusCode = item["statusCode"]?.GetValue<int>(),
                RetryAfter = item["retryAfterMs"] is { } retryAfter ? TimeSpan.FromMilliseconds(retryAfter.GetValue<double>()) : null,
                Delay = TimeSpan.FromMilliseconds(item["delayMs"]?.GetValue<double>() ?? 0),
                Agent = item["agent"]?.GetValue<string>(),
            });
        }

        return replies;
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages.ToList();
        ScriptedReply reply;
        int call;
        lock (_gate)
        {
            var agent = CallerContext.Current?.Agent;
            var at = PerAgent && agent is not null ? _replies.FindIndex(r => r.Agent is null || r.Agent == agent) : 0;
            if (at < 0 || _replies.Count == 0)
            {
                throw new ScriptException($"The script has no reply left for call {_calls + 1}{(agent is null ? "" : $" (agent '{agent}')")}; it held {_calls} replies.");
            }

            var next = _replies[at];
            if (next.Agent is not null && agent is not null && !string.Equals(next.Agent, agent, StringComparison.Ordinal))
            {
                throw new ScriptException($"Scripted reply {_calls + 1} is for agent '{next.Agent}', but agent '{agent}' asked.");
            }

            reply = next;
            _replies.RemoveAt(at);
            call = ++_calls;
            _requests.Add(request);
            _options.Add(options?.Clone());
        }

        var delay = Delay + reply.Delay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (reply.Error is not null)
        {
            throw new ModelCallException(reply.Error, reply.StatusCode is int status ? (HttpStatusCode)status : null) { RetryAfter = reply.RetryAfter };
        }

        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(reply.Text))
        {
            contents.Add(new TextContent(reply.Text));
        }

        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            var toolCall = reply.ToolCalls[i];
            contents.Add(FunctionCallContent.CreateFromParsedArguments(
                toolCall.Arguments,
                string.Create(CultureInfo.InvariantCulture, $"call_{call}_{i + 1}"),
                toolCall.Name,
                static json => JsonSerializer.Deserialize<Dictionary<string, object?>>(json, AIJsonUtilities.DefaultOptions)));
        }

        var message = new ChatMessage(ChatRole.Assistant, contents);
        var counter = TokenCounter.Default;
        return new ChatResponse(message)
        {
            ModelId = "scripted",
            FinishReason = reply.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = request.Sum(counter.CountTokens),
                OutputTokenCount = counter.CountTokens(message),
                TotalTokenCount = request.Sum(counter.CountTokens) + counter.CountTokens(message),
            },
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
        serviceKey is not null ? null
        : serviceType?.IsInstanceOfType(this) == true ? this
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : null;

    // What telemetry reports as gen_ai.provider.name for a scripted model.
    private static readonly ChatClientMetadata Metadata = new("scripted");

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
