using System.Text;

namespace Cadre.Tools;

/// <summary>Tool naming and the metadata keys Cadre stores on an <c>AIFunction</c>.</summary>
public static class ToolNames
{
    /// <summary>The <c>AdditionalProperties</c> key that holds a tool's category.</summary>
    public const string CategoryKey = "cadre.category";

    /// <summary>The <c>AdditionalProperties</c> key that holds a tool's <see cref="Tools.SideEffects"/>.</summary>
    public const string SideEffectsKey = "cadre.side_effects";

    /// <summary>Reads the side effects of a tool from its <see cref="ToolDescriptor"/> (<see cref="SideEffects.None"/>
    /// when not recorded).</summary>
    public static SideEffects SideEffectsOf(Microsoft.Extensions.AI.AITool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return ToolDescriptor.Of(tool).SideEffects;
    }

    /// <summary>Turns a method name into a tool name: <c>SearchCustomer</c> → <c>search_customer</c>;
    /// <c>SendEmailAsync</c> → <c>send_email</c>.</summary>
    public static string FromMethod(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5)
        {
            name = name[..^5];
        }

        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var boundary = i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (boundary && text[^1] != '_')
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
