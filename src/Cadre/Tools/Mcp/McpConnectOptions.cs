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

    /// <summary>Arguments added after the command line's own, each passed as one argument.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables for a server command, added to its minimal environment (or to the inherited
    /// one when <see cref="InheritEnvironment"/> is set).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>True when a server command inherits every variable of this process, secrets included. By default
    /// (false) it gets only <see cref="McpToolServer.MinimalEnvironment"/> — PATH, HOME, user, shell, terminal, locale, temp
    /// folder, DOTNET_ROOT — plus <see cref="Environment"/>: a server has no business with the host's API keys.</summary>
    public bool InheritEnvironment { get; init; }

    /// <summary>Whether calls of the imported tools need approval: true for all, false for none; when null (the
    /// default), tools that may destroy something do — MCP's <c>destructiveHint</c>, which is true unless the server
    /// says otherwise for a tool that is not read-only.</summary>
    public bool? RequiresApproval { get; init; }

    /// <summary>Receives the lines a server command writes to standard error (its log).</summary>
    public Action<string>? ServerLog { get; init; }

    /// <summary>How long one call of an imported tool may take before it is abandoned (default 100 s): a remote
    /// server that stops answering must not hold a run for ever.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long connecting and listing the server's tools may take together (default 30 s); past it the
    /// import fails with <see cref="McpImportException"/> and the server process is stopped.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
