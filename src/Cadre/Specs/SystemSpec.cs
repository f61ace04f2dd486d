namespace Cadre.Specs;

/// <summary>A multi-agent system as a spec file declares it: model, tools, agents, workflow and memory settings.
/// Load one with <see cref="SpecLoader"/>; build it with <see cref="AgentSystem"/>.</summary>
public sealed record SystemSpec
{
    /// <summary>The spec file's path (full, as <see cref="SpecLoader"/> sets it); messages and <see cref="Directory"/> come from it.</summary>
    public required string Path { get; init; }

    /// <summary>The folder relative paths in the spec are resolved against.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>The system's name (<c>name:</c>, or the spec's folder name).</summary>
    public required string Name { get; init; }

    /// <summary>The default model spec for every agent (a comma-separated list is a fallback chain).</summary>
    public SpecValue? Model { get; init; }

    /// <summary>Where runs and memory are kept when neither <c>--workspace</c> nor <c>CADRE_WORKSPACE</c> says: a folder
    /// (relative to the spec's folder) or a <c>postgres://</c> URL.</summary>
    public SpecValue? Workspace { get; init; }

    /// <summary>Where the tools come from.</summary>
    public ToolsSpec Tools { get; init; } = new();

    /// <summary>The agents, in declaration order.</summary>
    public required IReadOnlyList<AgentSpec> Agents { get; init; }

    /// <summary>The <c>workflow:</c> section: its kind (<c>handoff</c>, <c>sequential</c>, <c>supervisor</c> or
    /// <c>group-chat</c>), its agents' order and the run's limits.</summary>
    public required WorkflowSpec Workflow { get; init; }

    /// <summary>The <c>memory:</c> settings (context budget, reducer, scope, what is written and recalled); the
    /// defaults when the spec has none.</summary>
    public MemorySpec Memory { get; init; } = new();

    /// <summary>Tool chains, each a tool agents can be granted by name.</summary>
    public IReadOnlyList<ChainSpec> Chains { get; init; } = [];
}
