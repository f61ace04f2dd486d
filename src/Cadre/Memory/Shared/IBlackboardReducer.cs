using System.Text.Json.Nodes;

namespace Cadre.Memory.Shared;

/// <summary>How a write to a key combines with what is there, like a LangGraph state channel's reducer: the stored
/// value becomes <c>Reduce(current, written)</c>. Built-ins are in <see cref="BlackboardReducers"/>.</summary>
public interface IBlackboardReducer
{
    /// <summary>Combines a written value with the current one.</summary>
    /// <param name="current">The current value (null when the key is new or holds JSON null); owned by the reducer.</param>
    /// <param name="written">The written value; owned by the reducer.</param>
    /// <returns>The value to store.</returns>
    JsonNode? Reduce(JsonNode? current, JsonNode? written);
}
