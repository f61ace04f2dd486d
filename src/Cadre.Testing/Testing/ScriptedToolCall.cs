using System.Text.Json;

namespace Cadre.Testing;

/// <summary>A tool call in a scripted reply.</summary>
/// <param name="Name">The name of the tool to call; not checked, so a test can call a tool that does not exist.</param>
/// <param name="Arguments">The arguments as JSON text; need not be valid, so a test can send a malformed call.</param>
public sealed record ScriptedToolCall(string Name, string Arguments = "{}")
{
    /// <summary>A call with arguments serialised from an object (an anonymous object, a dictionary, ...).</summary>
    /// <param name="name">The name of the tool to call; not checked.</param>
    /// <param name="arguments">Serialised with System.Text.Json's defaults, so property names stay as written.</param>
    public static ScriptedToolCall With(string name, object arguments) =>
        new(name, JsonSerializer.Serialize(arguments));
}
