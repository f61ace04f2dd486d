using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>A tool found by <see cref="ToolRegistry.Search"/>, with how well it matched (higher is better).</summary>
/// <param name="Tool">The registered tool that matched, with its descriptor attached.</param>
/// <param name="Score">Always above 0, rounded to three decimals; comparable only within one search, since words weigh by their rarity among the registered tools.</param>
public sealed record ToolMatch(AIFunction Tool, double Score);
