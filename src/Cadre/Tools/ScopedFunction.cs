using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>A tool that uses the governed call it is made in (<see cref="ToolCallScope"/>): discovery, chains, job
/// status. Only these are given the scope, so other calls pay nothing for it.</summary>
internal abstract class ScopedFunction : AIFunction
{
}
