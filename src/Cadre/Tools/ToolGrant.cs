using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>How grants name tools: a tool's name, its category, or <c>*</c> for every tool.</summary>
public static class ToolGrant
{
    /// <summary>The grant entry that matches every tool.</summary>
    public const string All = "*";

    /// <summary>True when a grant entry names <paramref name="tool"/>.</summary>
    /// <param name="entry">A tool name, a category, or <c>*</c>.</param>
    /// <param name="tool">The tool; its name and its descriptor's category are compared with the entry, case-sensitively.</param>
    /// <returns>Whether the entry covers the tool.</returns>
    public static bool Matches(string entry, AITool tool)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tool);
        return entry == All
            || string.Equals(entry, tool.Name, StringComparison.Ordinal)
            || string.Equals(entry, ToolDescriptor.Of(tool).Category, StringComparison.Ordinal);
    }
}
