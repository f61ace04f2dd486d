namespace Cadre.Memory;

/// <summary>What kind of writer a memory came from, which decides how far it is trusted.</summary>
public enum MemorySourceKind
{
    /// <summary>Not recorded (memories stored before provenance was kept); trust follows the origin's name.</summary>
    Unknown,

    /// <summary>What a user said in a conversation.</summary>
    UserTurn,

    /// <summary>What an agent (a model) concluded or extracted from a conversation.</summary>
    Agent,

    /// <summary>What a tool (or an MCP server) returned.</summary>
    ToolResult,

    /// <summary>Written by the system's operator (the command line, the library API).</summary>
    Operator,

    /// <summary>Imported from a file or another system by the operator.</summary>
    Import,
}
