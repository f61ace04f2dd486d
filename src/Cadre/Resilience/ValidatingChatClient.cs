using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cadre.Resilience;

/// <summary>
/// A chat client decorator that turns an unusable reply into an <see cref="InvalidModelResponseException"/>, so
/// retries, circuit breakers and fallback chains treat it as the failure it is: a reply with neither text nor tool
/// calls, or — when the request asked for JSON (<see cref="ChatResponseFormatJson"/>) — text that is not JSON. A tool
/// call with malformed arguments is not rejected here: it goes back to the model as a tool error it can fix.
/// </summary>
public sealed class ValidatingChatClient : DelegatingChatClient
{
    private readonly Func<ChatResponse, ChatOptions?, string?>? _check;

    /// <summary>Wraps <paramref name="innerClient"/>: its replies are checked by <see cref="ProblemWith"/>, then by
    /// <paramref name="check"/>.</summary>
    /// <param name="innerClient">The model's client; disposing this client disposes it.</param>
    /// <param name="check">An extra check: returns what is wrong with a reply, or null when it is fine.</param>
    public ValidatingChatClient(IChatClient innerClient, Func<ChatResponse, ChatOptions?, string?>? check = null)
        : base(innerClient)
    {
        _check = check;
    }

    /// <summary>What is wrong with a reply by the default rules, or null when it is usable.</summary>
    /// <param name="response">The model's complete reply; one with a tool call is never empty.</param>
    /// <param name="options">The request's options (its response format).</param>
    /// <returns>The problem, or null.</returns>
    public static string? ProblemWith(ChatResponse response, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(response);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Any();
        var text = response.Text;
        if (!calls && string.IsNullOrWhiteSpace(text))
        {
            return $"the model returned an empty reply (finish reason: {response.FinishReason?.Value ?? "none"})";
        }

        if (!calls && options?.ResponseFormat is ChatResponseFormatJson && !IsJson(text))
        {
            return $"the model was asked for JSON but replied with something else: \"{Shorten(text)}\"";
        }

        return null;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        var problem = ProblemWith(response, options) ?? _check?.Invoke(response, options);
        return problem is null ? response : throw new InvalidModelResponseException(problem);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Hold updates back until one carries content: an empty stream then fails before anything reached the
        // caller, so a fallback chain can still move on.
        var held = new List<ChatResponseUpdate>();
        var committed = false;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            if (!committed)
            {
                held.Add(update);
                if (!update.Contents.Any(c => c is FunctionCallContent || (c is TextContent t && !string.IsNullOrWhiteSpace(t.Text))))
                {
                    continue;
                }

                committed = true;
                foreach (var early in held)
                {
                    yield return early;
                }

                held.Clear();
                continue;
            }

            yield return update;
        }

        if (!committed)
        {
            throw new InvalidModelResponseException("the model's stream ended without any text or tool call");
        }
    }

    private static bool IsJson(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            // Models often fence JSON; Microsoft.Extensions.AI's structured output reads fenced JSON too.
            trimmed = trimmed.Trim('`').Trim();
            if (trimmed.StartsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[4..];
            }
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}
