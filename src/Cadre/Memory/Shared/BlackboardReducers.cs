using System.Text.Json.Nodes;

namespace Cadre.Memory.Shared;

/// <summary>The built-in reducers: last writer wins, append, merge, and custom ones from a function.</summary>
public static class BlackboardReducers
{
    /// <summary>The written value replaces the current one (the default).</summary>
    public static IBlackboardReducer LastWriterWins { get; } = Custom((_, written) => written);

    /// <summary>The key holds a list: a written list is appended item by item, any other value as one item.</summary>
    public static IBlackboardReducer Append { get; } = Custom((current, written) =>
    {
        var list = current as JsonArray ?? (current is null ? [] : [current]);
        if (written is JsonArray items)
        {
            foreach (var item in items.ToList())
            {
                items.Remove(item);
                list.Add(item);
            }
        }
        else
        {
            list.Add(written);
        }

        return list;
    });

    /// <summary>The key holds an object: the written object's properties are merged in, recursively for nested
    /// objects; a written property replaces a value that is not an object. A written value that is not an object
    /// replaces the current one.</summary>
    public static IBlackboardReducer Merge { get; } = Custom(MergeNodes);

    /// <summary>A reducer from a function.</summary>
    /// <param name="reduce">Makes the stored value from the current and the written one.</param>
    public static IBlackboardReducer Custom(Func<JsonNode?, JsonNode?, JsonNode?> reduce)
    {
        ArgumentNullException.ThrowIfNull(reduce);
        return new FunctionReducer(reduce);
    }

    private static JsonNode? MergeNodes(JsonNode? current, JsonNode? written)
    {
        if (current is not JsonObject target || written is not JsonObject source)
        {
            return written;
        }

        foreach (var (name, value) in source.ToList())
        {
            source.Remove(name);
            target[name] = target[name] is JsonObject && value is JsonObject ? MergeNodes(target[name]!.DeepClone(), value) : value;
        }

        return target;
    }

    private sealed class FunctionReducer(Func<JsonNode?, JsonNode?, JsonNode?> reduce) : IBlackboardReducer
    {
        public JsonNode? Reduce(JsonNode? current, JsonNode? written) => reduce(current, written);
    }
}
