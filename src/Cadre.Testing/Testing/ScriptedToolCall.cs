using System.Text.Json;

namespace Cadre.Testing;

/// <summary>A tool call in a scripted reply.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Arguments">The arguments as JSON text; need not be valid, so a test can send a malformed call.</param>
public sealed record ScriptedToolCall(string Name, string Arguments = "{}")
{
    /// <summary>A call with arguments serialised from an object (an anonymous object, a dictionary, ...).</summary>
    /// <param name="name">The tool's name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The call.</returns>
    public static ScriptedToolCall With(string name, object arguments) =>
        new(name, JsonSerializer.Serialize(arguments));
}
