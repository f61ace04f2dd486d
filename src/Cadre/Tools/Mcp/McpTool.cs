using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Cadre.Tools.Mcp;

/// <summary>An MCP server's tool as Cadre calls it: the result's text (or its structured content) rather than the
/// protocol envelope, and a tool error (<c>isError</c>) as a failure, so the governed path reports it as one.</summary>
internal sealed class McpTool(McpClientTool tool) : DelegatingAIFunction(tool)
{
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var result = await tool.CallAsync(arguments.ToDictionary(a => a.Key, a => a.Value), cancellationToken: cancellationToken);
        var text = string.Join("\n", result.Content.Select(c => c switch
        {
            TextContentBlock t => t.Text,
            ImageContentBlock i => $"[image {i.MimeType}]",
            AudioContentBlock a => $"[audio {a.MimeType}]",
            _ => $"[{c.Type}]",
        }));
        if (result.IsError == true)
        {
            throw new McpException(text.Length == 0 ? "the MCP server reported an error" : text);
        }

        return result.StructuredContent is { } structured && text.Length == 0 ? JsonSerializer.SerializeToElement(structured) : text;
    }
}
