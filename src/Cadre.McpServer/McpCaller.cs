namespace Cadre.McpServer;

/// <summary>Who calls over MCP, as Cadre's audit and policies name them.</summary>
internal static class McpCaller
{
    /// <summary>The agent name of an MCP client: <c>mcp:</c> and the name it gave in its handshake (letters, digits,
    /// <c>-</c>, <c>_</c> and <c>.</c> kept; anything else becomes <c>_</c>), or <c>mcp:client</c>.</summary>
    public static string AgentName(ModelContextProtocol.Server.McpServer server)
    {
        var name = server.ClientInfo?.Name ?? "";
        var cleaned = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(64).ToArray());
        return "mcp:" + (cleaned.Trim('_').Length == 0 ? "client" : cleaned);
    }
}
