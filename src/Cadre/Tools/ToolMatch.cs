using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>A tool found by <see cref="ToolRegistry.Search"/>, with how well it matched (higher is better).</summary>
/// <param name="Tool">The tool.</param>
/// <param name="Score">The relevance score.</param>
public sealed record ToolMatch(AIFunction Tool, double Score);
