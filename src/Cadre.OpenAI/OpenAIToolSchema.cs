using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Cadre.OpenAI;

/// <summary>The OpenAI function-calling schema (<c>[{"type":"function","function":{...}}]</c>) of tools, made by
/// Microsoft.Extensions.AI.OpenAI's own conversion: what <c>cadre tools schema</c> prints.</summary>
public static class OpenAIToolSchema
{
    /// <summary>The OpenAI function-calling schema of some tools.</summary>
    /// <param name="tools">The tools, registered or not (a registry's <c>Tools</c>, say); declarations without an
    /// implementation are accepted.</param>
    /// <returns>A new JSON array with one entry per tool, in the given order.</returns>
    public static JsonArray Of(IEnumerable<AIFunctionDeclaration> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return new JsonArray([.. tools.Select(t => JsonNode.Parse(ModelReaderWriter.Write(t.AsOpenAIChatTool(), ModelReaderWriterOptions.Json)))]);
    }
}
