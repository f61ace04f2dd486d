namespace Cadre.Tools.Chains;

/// <summary>How one step of a chain went.</summary>
/// <param name="Index">The step's position, from 1.</param>
/// <param name="Name">The name the chain gave the step (not the tool's name).</param>
/// <param name="Tool">The tool it called.</param>
/// <param name="Input">The arguments it was given (JSON).</param>
/// <param name="Status">How the call ended.</param>
/// <param name="Output">The tool's result or error.</param>
public sealed record ChainStepResult(int Index, string Name, string Tool, string Input, ToolCallStatus Status, string Output);
