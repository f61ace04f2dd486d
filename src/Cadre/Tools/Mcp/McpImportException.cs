namespace Cadre.Tools.Mcp;

/// <summary>An MCP server's tools could not be imported; the message names the server and says why.</summary>
public sealed class McpImportException : Exception
{
    /// <summary>Creates the exception with the runtime's default message; prefer one that names the server and says
    /// why.</summary>
    public McpImportException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which server could not be imported, and why.</param>
    public McpImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which server could not be imported, and why.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public McpImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
