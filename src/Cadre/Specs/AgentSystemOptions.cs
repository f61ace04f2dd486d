using Cadre.Models;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Specs;

/// <summary>What the host adds when it builds a system from a spec.</summary>
public sealed record AgentSystemOptions
{
    /// <summary>A model spec that replaces the spec's models for every agent (<c>--model</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Where model files, keys and HTTP come from; its base folder defaults to the spec's folder.</summary>
    public ModelOptions? ModelOptions { get; init; }

    /// <summary>The tools the host loaded for the spec (from its assembly, project or MCP servers).</summary>
    public IReadOnlyList<AIFunction> Tools { get; init; } = [];

    /// <summary>How agents' tool calls are carried out; a <see cref="Tools.GovernedToolInvoker"/> with default options
    /// (no approver: calls that need approval are denied) when null.</summary>
    public IToolInvoker? ToolInvoker { get; init; }

    /// <summary>The workspace's memory; the spec's <c>memory:</c> settings (recall, episodes, the memory writer,
    /// handoffs on the blackboard) apply only when it is given.</summary>
    public Cadre.Workspaces.WorkspaceMemory? Memory { get; init; }
}
