namespace Cadre.Tools;

/// <summary>Builds a <see cref="ToolDescriptor"/> fluently:
/// <c>t =&gt; t.Category("crm").SideEffects(SideEffects.Irreversible).RequiresApproval()</c>.</summary>
public sealed class ToolDescriptorBuilder
{
    /// <summary>Starts from a descriptor.</summary>
    /// <param name="start">The descriptor to change; <see cref="ToolDescriptor.Default"/> when null.</param>
    public ToolDescriptorBuilder(ToolDescriptor? start = null)
    {
        Descriptor = start ?? ToolDescriptor.Default;
    }

    /// <summary>The descriptor built so far.</summary>
    public ToolDescriptor Descriptor { get; private set; }

    /// <summary>Sets the category.</summary>
    /// <param name="category">The category.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder Category(string category)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        return Set(Descriptor with { Category = category });
    }

    /// <summary>Adds tags.</summary>
    /// <param name="tags">The tags.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder Tags(params IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return Set(Descriptor with { Tags = [.. Descriptor.Tags.Concat(tags).Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase)] });
    }

    /// <summary>Says what calling the tool does to the world.</summary>
    /// <param name="effects">The side effects.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder SideEffects(SideEffects effects) => Set(Descriptor with { SideEffects = effects });

    /// <summary>Requires every call to be approved first.</summary>
    /// <param name="required">False to lift the requirement.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder RequiresApproval(bool required = true) => Set(Descriptor with { RequiresApproval = required });

    /// <summary>Lets only one call of the tool run at a time.</summary>
    /// <param name="exclusive">False to allow concurrent calls.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder Exclusive(bool exclusive = true) => Set(Descriptor with { Exclusive = exclusive });

    /// <summary>Limits how often everyone together may call the tool.</summary>
    /// <param name="permits">Calls per window.</param>
    /// <param name="window">The window.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder RateLimit(int permits, TimeSpan window) => Set(Descriptor with { RateLimit = new ToolRateLimit(permits, window) });

    /// <summary>Limits how often each agent may call the tool.</summary>
    /// <param name="permits">Calls per window.</param>
    /// <param name="window">The window.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder RateLimitPerAgent(int permits, TimeSpan window) => Set(Descriptor with { RateLimitPerAgent = new ToolRateLimit(permits, window) });

    /// <summary>Abandons an attempt that takes longer than <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder Timeout(TimeSpan timeout) => Set(Descriptor with { Timeout = timeout });

    /// <summary>Caches results by arguments for <paramref name="ttl"/> (tools without side effects only).</summary>
    /// <param name="ttl">How long a result stays cached.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder CacheFor(TimeSpan ttl) => Set(Descriptor with { CacheTtl = ttl });

    /// <summary>Says that repeating a call with the same arguments has no further effect.</summary>
    /// <param name="idempotent">False to say it does.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder Idempotent(bool idempotent = true) => Set(Descriptor with { Idempotent = idempotent });

    /// <summary>Names what the tool does, shared with the tools that can stand in for it.</summary>
    /// <param name="capability">The capability.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder Capability(string capability)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(capability);
        return Set(Descriptor with { Capability = capability });
    }

    /// <summary>Runs calls in the background as jobs.</summary>
    /// <param name="longRunning">False to run calls in line.</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder LongRunning(bool longRunning = true) => Set(Descriptor with { LongRunning = longRunning });

    /// <summary>Retries transient failures up to <paramref name="retries"/> times.</summary>
    /// <param name="retries">The number of retries (0 for none).</param>
    /// <returns>This builder.</returns>
    public ToolDescriptorBuilder Retries(int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        return Set(Descriptor with { MaxRetries = retries });
    }

    private ToolDescriptorBuilder Set(ToolDescriptor descriptor)
    {
        Descriptor = descriptor;
        return this;
    }
}
