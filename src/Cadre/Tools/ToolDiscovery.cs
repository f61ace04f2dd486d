using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>The discovery tool (<see cref="ToolRegistry.CreateDiscoveryTool"/>): searches a registry by text,
/// category or tag and returns the tools the calling agent may use, with their parameters; called through the
/// governed path, it also offers them to the model for the rest of the turn.</summary>
internal sealed class ToolDiscovery : ScopedFunction
{
    public const string DefaultName = "find_tools";

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "description": "What you need to do, in a few words (\"refund a charge\")." },
            "category": { "type": "string", "description": "Only tools of this category." },
            "tag": { "type": "string", "description": "Only tools with this tag." }
          }
        }
        """).RootElement.Clone();

    private readonly ToolRegistry _registry;
    private readonly int _limit;

    public ToolDiscovery(ToolRegistry registry, string name, int limit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _registry = registry;
        Name = name;
        _limit = limit;
    }

    public override string Name { get; }

    public override string Description =>
        "Find more tools: search the tool registry by what you need to do, a category or a tag. The tools found become available to you.";

    public override JsonElement JsonSchema => Schema;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var query = Text(arguments, "query");
        var category = Text(arguments, "category");
        var tag = Text(arguments, "tag");
        var scope = ToolCallScope.Of(arguments);
        bool Fits(AIFunction tool)
        {
            var descriptor = ToolDescriptor.Of(tool);
            return tool.Name != Name
                && (category is null || string.Equals(descriptor.Category, category, StringComparison.OrdinalIgnoreCase))
                && (tag is null || descriptor.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase))
                // An agent with grants finds what they allow; one without grants was given this tool, and with it the
                // registry it searches.
                && (scope is null || scope.Permissions.GrantsOf(scope.Request.Context.Agent) is null || scope.IsPermitted(tool));
        }

        var found = query is null
            ? _registry.Tools.Where(Fits).Take(_limit).ToList()
            : _registry.Search(query, _limit, Fits).Select(m => m.Tool).ToList();
        foreach (var tool in found)
        {
            scope?.Request.Offer?.Invoke(tool);
        }

        var result = new JsonObject
        {
            ["found"] = found.Count,
            ["tools"] = new JsonArray([.. found.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["description"] = t.Description,
                ["category"] = ToolDescriptor.Of(t).Category,
                ["parameters"] = JsonNode.Parse(t.JsonSchema.GetRawText()),
            })]),
            ["note"] = found.Count == 0
                ? "No tool matches; try other words, or no category or tag."
                : "You can call these tools now.",
        };
        return new ValueTask<object?>(result);
    }

    private static string? Text(AIFunctionArguments arguments, string name) =>
        arguments.TryGetValue(name, out var value) && value is not null && ToolValue(value) is { Length: > 0 } text ? text : null;

    private static string ToolValue(object value) => value switch
    {
        string s => s.Trim(),
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()?.Trim() ?? "",
        JsonElement { ValueKind: JsonValueKind.Null } => "",
        _ => value.ToString()?.Trim() ?? "",
    };
}
