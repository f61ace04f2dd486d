namespace Cadre.McpServer;

/// <summary>What <see cref="SpecMcpServer"/> serves.</summary>
/// <param name="Spec">The spec file or folder whose tools are served.</param>
/// <param name="Workspace">The workspace folder: audit, tool ledger, jobs, memory.</param>
/// <param name="Agents">Also offer each agent as a tool (<c>agent_&lt;name&gt;</c>) that takes a task.</param>
/// <param name="Model">The model for the agents instead of the spec's (only with <paramref name="Agents"/>).</param>
public sealed record McpServeSettings(string Spec, string Workspace, bool Agents = false, string? Model = null);
