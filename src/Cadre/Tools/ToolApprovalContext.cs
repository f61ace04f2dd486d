using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>What an <see cref="IToolApprover"/> is told about a call that needs approval.</summary>
/// <param name="Caller">The agent turn that makes the call (agent, run, step).</param>
/// <param name="Tool">The tool called, as resolved by the governed path (from the agent's tools or the registry).</param>
/// <param name="Descriptor">How Cadre treats the tool (side effects, category).</param>
/// <param name="Arguments">The arguments as JSON.</param>
public sealed record ToolApprovalContext(ToolCallContext Caller, AIFunction Tool, ToolDescriptor Descriptor, string Arguments)
{
    /// <summary>The call's idempotency key (<c>run/step/index</c>), the same when the run is resumed; "" when the
    /// caller did not say.</summary>
    public string Key { get; init; } = "";
}
