namespace Cadre.Tools.Chains;

/// <summary>An input a chain takes, shown to the model in the chain's schema.</summary>
/// <param name="Name">The property name in the chain's input object; steps read it as <c>$input.Name</c>. Every
/// declared input is required.</param>
/// <param name="Type">Its JSON type: string, integer, number, boolean, object or array.</param>
/// <param name="Description">The property's description in the schema the model sees; null leaves it out.</param>
public sealed record ChainInput(string Name, string Type = "string", string? Description = null);
