using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>An <see cref="AIFunction"/> with a <see cref="ToolDescriptor"/> attached: it answers
/// <c>GetService(typeof(ToolDescriptor))</c> and exposes the category and side effects in its
/// <see cref="AITool.AdditionalProperties"/> under the <see cref="ToolNames"/> keys.</summary>
internal sealed class DescribedTool : DelegatingAIFunction
{
    private readonly IReadOnlyDictionary<string, object?> _properties;

    public DescribedTool(AIFunction inner, ToolDescriptor descriptor)
        : base(inner)
    {
        Original = inner;
        Descriptor = descriptor;
        var properties = new Dictionary<string, object?>(inner.AdditionalProperties, StringComparer.Ordinal);
        properties.Remove(ToolNames.CategoryKey);
        properties.Remove(ToolNames.SideEffectsKey);
        if (descriptor.Category is { } category)
        {
            properties[ToolNames.CategoryKey] = category;
        }

        if (descriptor.SideEffects != SideEffects.None)
        {
            properties[ToolNames.SideEffectsKey] = descriptor.SideEffects;
        }

        _properties = properties;
    }

    public AIFunction Original { get; }

    /// <summary>The <see cref="ApprovalRequiredAIFunction"/> <see cref="ToolDescriptor.Attach"/> wrapped around this
    /// tool, if any, so describing the tool again does not wrap it twice.</summary>
    public ApprovalRequiredAIFunction? ApprovalWrapper { get; set; }

    public ToolDescriptor Descriptor { get; }

    public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ToolDescriptor) ? Descriptor : base.GetService(serviceType, serviceKey);
    }
}
