namespace Cadre.McpServer;

/// <summary>What a <see cref="SpecMcpServer"/> is opened with: <c>cadre mcp serve</c>'s spec, workspace and options.</summary>
/// <param name="Spec">The spec file or folder whose tools are served.</param>
/// <param name="Workspace">The SQLite workspace folder (created when missing) where the audit, tool ledger, jobs and memory live.</param>
/// <param name="Agents">Also offer each agent as a tool (<c>agent_&lt;name&gt;</c>) that takes a task.</param>
/// <param name="Model">The model for the agents instead of the spec's (only with <paramref name="Agents"/>).</param>
public sealed record McpServeSettings(string Spec, string Workspace, bool Agents = false, string? Model = null);
