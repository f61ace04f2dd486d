namespace Cadre.Tools.Chains;

/// <summary>An input a chain takes, shown to the model in the chain's schema.</summary>
/// <param name="Name">The input's name.</param>
/// <param name="Type">Its JSON type: string, integer, number, boolean, object or array.</param>
/// <param name="Description">What it is.</param>
public sealed record ChainInput(string Name, string Type = "string", string? Description = null);
