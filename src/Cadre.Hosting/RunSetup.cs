using Cadre.Specs;

namespace Cadre.Hosting;

/// <summary>What a run was set up with, given to <see cref="RunHost.Settings.Observe"/> before it starts.</summary>
/// <param name="System">The built system: its agents, tools, workflow and model chain.</param>
/// <param name="Model">Which model serves, in words for people (and the chaos drill, if any).</param>
/// <param name="Approvals">How tool approvals are decided, in words for people.</param>
public sealed record RunSetup(AgentSystem System, string Model, string Approvals);
