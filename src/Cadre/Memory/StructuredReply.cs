using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>Asks a model for a typed reply (Microsoft.Extensions.AI structured output: a JSON schema in the request)
/// and says plainly when the reply cannot be read, instead of throwing.</summary>
internal static class StructuredReply
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Sends <paramref name="messages"/> and reads the reply as <typeparamref name="T"/>.</summary>
    /// <returns>The value, or null and what was wrong with the reply.</returns>
    public static async Task<(T? Value, string? Problem)> AskAsync<T>(IChatClient model, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
        where T : class
    {
        var response = await model.GetResponseAsync<T>(messages, Json, new ChatOptions { Temperature = 0 }, useJsonSchemaResponseFormat: true, cancellationToken);
        if (response.TryGetResult(out var value) && value is not null)
        {
            return (value, null);
        }

        var text = response.Text.Trim();
        return (null, $"the model's reply is not the JSON asked for: \"{(text.Length > 120 ? text[..117] + "..." : text)}\"");
    }
}
