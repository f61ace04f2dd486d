using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>Turns tool results and arguments into the text a model reads.</summary>
public static class ToolResults
{
    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>Formats a tool's return value for the model: strings as they are, everything else as JSON.</summary>
    /// <param name="value">The value a tool returned.</param>
    /// <returns>A string or JSON string value unquoted, <c>null</c> for null, anything else as JSON on one
    /// line.</returns>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? "",
        JsonElement e => JsonSerializer.Serialize(e, Compact),
        _ => JsonSerializer.Serialize(value, Compact),
    };

    /// <summary>Formats a call's arguments as compact JSON.</summary>
    /// <param name="call">The call whose arguments are written; its name and id are left out.</param>
    /// <returns>The arguments as JSON ("{}" when there are none).</returns>
    public static string FormatArguments(FunctionCallContent call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Arguments is null)
        {
            return "{}";
        }

        // Arguments parsed from a model's JSON are JsonElements: write them as they are, without the cost of
        // serializing a dictionary of objects polymorphically (this runs on every tool call).
        if (call.Arguments is Dictionary<string, object?> parsed && AllElements(parsed))
        {
            var buffer = Buffer ??= new System.Buffers.ArrayBufferWriter<byte>(512);
            var writer = Writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Compact.Encoder, SkipValidation = true });
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartObject();
            foreach (var (name, value) in parsed)
            {
                writer.WritePropertyName(name);
                ((JsonElement)value!).WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.Flush();
            var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            if (buffer.Capacity > 64 * 1024)
            {
                // One huge call must not keep a huge buffer alive on the thread.
                Buffer = null;
                Writer = null;
            }

            return text;
        }

        return JsonSerializer.Serialize(call.Arguments, Compact);
    }

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? Buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? Writer;

    private static bool AllElements(Dictionary<string, object?> arguments)
    {
        foreach (var value in arguments.Values)
        {
            if (value is not JsonElement)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text a model reads when a call did not succeed: it starts with <c>Error:</c> and says what to
    /// do.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <returns><c>Error: </c> followed by <paramref name="message"/> as it is (nothing is escaped or cut).</returns>
    public static string Error(string message) => "Error: " + message;
}
