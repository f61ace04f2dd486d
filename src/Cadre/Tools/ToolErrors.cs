using System.Text.Json;
using Cadre.Conversations;

namespace Cadre.Tools;

/// <summary>Turns what a tool threw into the status and error text the model reads; shared by every invoker so the
/// same failure reads the same everywhere.</summary>
internal static class ToolErrors
{
    public static string UnknownTool(string tool, IEnumerable<string> available)
    {
        var known = string.Join(", ", available);
        return ToolResults.Error($"there is no tool named '{tool}'. Available tools: {(known.Length == 0 ? "none" : known)}.");
    }

    public static string MalformedArguments(string tool, Exception exception) =>
        ToolResults.Error($"the arguments for '{tool}' are not valid JSON ({exception.Message}). Send a JSON object.");

    public static (ToolCallStatus Status, string Text) Describe(string tool, Exception exception) => exception switch
    {
        ArgumentException or JsonException or InvalidCastException or FormatException =>
            (ToolCallStatus.InvalidArguments, ToolResults.Error($"the arguments for '{tool}' do not fit its parameters: {exception.Message}")),
        _ => (ToolCallStatus.Failed, ToolResults.Error($"'{tool}' failed: {exception.Message}")),
    };
}
