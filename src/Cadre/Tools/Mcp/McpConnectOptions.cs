namespace Cadre.Tools.Mcp;

/// <summary>How an MCP server's tools are imported.</summary>
public sealed record McpConnectOptions
{
    /// <summary>The category of the imported tools; the server's name when null.</summary>
    public string? Category { get; init; }

    /// <summary>A prefix for the tools' names (<c>github_</c>), to keep names unique across servers.</summary>
    public string? NamePrefix { get; init; }

    /// <summary>The folder a server command starts in.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables for a server command (added to the inherited ones).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Receives the lines a server command writes to standard error (its log).</summary>
    public Action<string>? ServerLog { get; init; }

    /// <summary>How long one call of an imported tool may take before it is abandoned (default 100 s): a remote
    /// server that stops answering must not hold a run for ever.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long connecting may take (default 30 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
