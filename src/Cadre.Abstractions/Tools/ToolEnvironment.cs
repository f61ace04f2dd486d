namespace Cadre.Tools;

/// <summary>What a tool class is told when it is created: where the system's spec is and where the workspace keeps
/// its files, so tools can find their data and write their side effects in a known place.</summary>
/// <param name="SpecDirectory">The folder of the spec that named the tools.</param>
/// <param name="WorkspaceDirectory">The workspace folder (<c>.cadre/</c> by default).</param>
public sealed record ToolEnvironment(string SpecDirectory, string WorkspaceDirectory);
