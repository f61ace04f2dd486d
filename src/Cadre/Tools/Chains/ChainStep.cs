namespace Cadre.Tools.Chains;

/// <summary>One step of a <see cref="ToolChain"/>: a tool and where each of its arguments comes from.</summary>
/// <param name="Name">The step's name, by which later steps refer to its result.</param>
/// <param name="Tool">The tool it calls.</param>
/// <param name="Arguments">Each of the tool's arguments by name, with where its value comes from; the step passes
/// only these arguments.</param>
public sealed record ChainStep(string Name, string Tool, IReadOnlyDictionary<string, ChainValue> Arguments);
