namespace Cadre.Tools;

/// <summary>
/// Marks a public method as a tool that agents may call. Cadre turns it into an <c>AIFunction</c> with
/// <c>AIFunctionFactory</c>: the JSON schema comes from the parameters, the descriptions from
/// <see cref="System.ComponentModel.DescriptionAttribute"/> on the method and its parameters. Instance methods are
/// called on one instance of their class, made with a constructor that takes a <see cref="ToolEnvironment"/> or none.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ToolAttribute : Attribute
{
    /// <summary>Marks a tool named after the method in snake_case (<c>SearchCustomer</c> → <c>search_customer</c>).</summary>
    public ToolAttribute()
    {
    }

    /// <summary>Marks a tool with an explicit name.</summary>
    /// <param name="name">The name the model sees.</param>
    public ToolAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The name the model sees; the method's name in snake_case when null.</summary>
    public string? Name { get; }

    /// <summary>A category that grants and discovery can name instead of each tool (<c>crm</c>, <c>email</c>).</summary>
    public string? Category { get; set; }

    /// <summary>What calling the tool does to the world (default <see cref="Tools.SideEffects.None"/>). Calls of
    /// side-effecting tools are recorded in the tool ledger and not repeated when a run is resumed.</summary>
    public SideEffects SideEffects { get; set; }
}
