namespace Cadre.Specs;

/// <summary>Where a system's tools come from.</summary>
public sealed record ToolsSpec
{
    /// <summary>A built .NET assembly whose <c>[Tool]</c> methods are the tools (relative to the spec).</summary>
    public SpecValue? Assembly { get; init; }

    /// <summary>A C# project that the host builds, then loads like <see cref="Assembly"/> (relative to the spec).</summary>
    public SpecValue? Project { get; init; }

    /// <summary>MCP servers whose tools are imported (commands or URLs, with their environment and limits).</summary>
    public IReadOnlyList<McpServerSpec> Mcp { get; init; } = [];

    /// <summary>An approval policy file for unattended runs (relative to the spec).</summary>
    public SpecValue? Approvals { get; init; }
}
