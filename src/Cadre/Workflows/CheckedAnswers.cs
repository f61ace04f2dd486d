using System.Text.Json;
using Cadre.Resilience;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>Asks for and reads answers that can be checked, through Microsoft.Extensions.AI's structured output (a
/// JSON schema made from the type).</summary>
public static class CheckedAnswers
{
    /// <summary>The serializer options answers are written and read with.</summary>
    public static JsonSerializerOptions SerializerOptions => AIJsonUtilities.DefaultOptions;

    /// <summary>Asks a model for a typed answer with its confidence and sources (<c>GetResponseAsync&lt;T&gt;</c> with
    /// a JSON schema).</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="model">The model asked; it must support JSON-schema response formats.</param>
    /// <param name="messages">The question and its context.</param>
    /// <param name="options">Options for the call (temperature, model id, ...); the response format is set to the
    /// answer's schema.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidModelResponseException">The model's reply does not fit the schema.</exception>
    public static async Task<CheckedAnswer<T>> AskAsync<T>(IChatClient model, IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var response = await model.GetResponseAsync<CheckedAnswer<T>>(messages, SerializerOptions, options, useJsonSchemaResponseFormat: true, cancellationToken);
        return response.TryGetResult(out var answer) && answer is not null
            ? answer
            : throw new InvalidModelResponseException($"the model's reply does not fit the answer schema: \"{Shorten(response.Text)}\"");
    }

    /// <summary>The response format that asks for a <typeparamref name="T"/> as JSON.</summary>
    /// <typeparam name="T">The type.</typeparam>
    public static ChatResponseFormat FormatFor<T>() => ChatResponseFormat.ForJsonSchema<T>(SerializerOptions);

    /// <summary>Reads a typed value from a reply's text, as structured output does.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="text">The reply's text, JSON as structured output produces it; null or malformed gives false.</param>
    /// <param name="value">The value, when it could be read.</param>
    /// <returns>True when the text held a valid <typeparamref name="T"/>.</returns>
    public static bool TryRead<T>(string text, out T? value)
    {
        var response = new ChatResponse<T>(new ChatResponse(new ChatMessage(ChatRole.Assistant, text ?? "")), SerializerOptions);
        try
        {
            return response.TryGetResult(out value) && value is not null;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>Reads the accepted answer of a completed <see cref="VerifiedAnswerWorkflow{T}"/> run.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <returns>The answer, or null when the run has none (or a person answered in their own words).</returns>
    public static CheckedAnswer<T>? Read<T>(WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Answer is { } text && TryRead<CheckedAnswer<T>>(text, out var answer) ? answer : null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
