namespace Cadre.Specs;

/// <summary>
/// An MCP server a spec imports tools from: <c>mcp: [ "npx -y some-server" ]</c>, or as a mapping
/// <c>{ command, args, env: { NAME: value | ${VAR} }, inherit_env: false, cwd, requires_approval, timeout }</c>.
/// A server started as a command gets a minimal environment (PATH, HOME, locale, temp folder) plus
/// <see cref="Environment"/>, not the host's secrets, unless <see cref="InheritEnvironment"/> is set.
/// </summary>
public sealed record McpServerSpec
{
    /// <summary>The command line or <c>http(s)://</c> URL of the server.</summary>
    public required SpecValue Command { get; init; }

    /// <summary>Arguments added after the command line's own, each passed as one argument.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Variables set for the server: name → value, where <c>${VAR}</c> is replaced by the host's variable
    /// when the server starts (so the secret lives in the host's environment, not in the spec).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>True when the server inherits every variable of the host (default false: a minimal environment).</summary>
    public bool InheritEnvironment { get; init; }

    /// <summary>The folder the server starts in (relative to the spec); the spec's folder when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Whether calls of the server's tools need approval: true for all, false for none; when null, those
    /// that may destroy something (MCP's <c>destructiveHint</c>, true unless the server says otherwise for a tool that
    /// is not read-only) do.</summary>
    public bool? RequiresApproval { get; init; }

    /// <summary>How long one call may take; the importer's default when null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Where the entry is written.</summary>
    public required SpecLocation Location { get; init; }

    /// <inheritdoc />
    public override string ToString() => Command.Value;
}
