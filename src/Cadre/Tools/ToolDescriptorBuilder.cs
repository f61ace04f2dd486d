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

    /// <summary>Puts the tool in a category that grants, approval rules and discovery can name instead of the tool.</summary>
    /// <param name="category">The category (<c>crm</c>, <c>email</c>), matched case-sensitively; must not be empty or white space.</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder Category(string category)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        return Set(Descriptor with { Category = category });
    }

    /// <summary>Adds discovery labels to those the descriptor has; blank ones and case-insensitive duplicates are dropped.</summary>
    /// <param name="tags">The labels to add (<c>billing</c>, <c>read-only</c>).</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder Tags(params IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return Set(Descriptor with { Tags = [.. Descriptor.Tags.Concat(tags).Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase)] });
    }

    /// <summary>Says what calling the tool does to the world.</summary>
    /// <param name="effects">What a call does; anything but <see cref="SideEffects.None"/> puts calls under the tool ledger and rules out caching.</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder SideEffects(SideEffects effects) => Set(Descriptor with { SideEffects = effects });

    /// <summary>Requires every call to be approved first.</summary>
    /// <param name="required">False to lift the requirement.</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder RequiresApproval(bool required = true) => Set(Descriptor with { RequiresApproval = required });

    /// <summary>Lets only one call of the tool run at a time.</summary>
    /// <param name="exclusive">False to allow concurrent calls.</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder Exclusive(bool exclusive = true) => Set(Descriptor with { Exclusive = exclusive });

    /// <summary>Limits how often everyone together may call the tool.</summary>
    /// <param name="permits">Calls allowed per window; at least 1 (checked when the descriptor is attached to a tool).</param>
    /// <param name="window">How long a window lasts; must be positive (checked when attached).</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder RateLimit(int permits, TimeSpan window) => Set(Descriptor with { RateLimit = new ToolRateLimit(permits, window) });

    /// <summary>Limits how often each agent may call the tool.</summary>
    /// <param name="permits">Calls allowed per window for each agent; at least 1 (checked when the descriptor is attached to a tool).</param>
    /// <param name="window">How long a window lasts; must be positive (checked when attached).</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder RateLimitPerAgent(int permits, TimeSpan window) => Set(Descriptor with { RateLimitPerAgent = new ToolRateLimit(permits, window) });

    /// <summary>Abandons an attempt that takes longer than <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest one attempt may take, so each retry gets it afresh; must be positive (checked when attached).</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder Timeout(TimeSpan timeout) => Set(Descriptor with { Timeout = timeout });

    /// <summary>Caches results by arguments for <paramref name="ttl"/> (tools without side effects only).</summary>
    /// <param name="ttl">How long a result stays cached.</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder CacheFor(TimeSpan ttl) => Set(Descriptor with { CacheTtl = ttl });

    /// <summary>Says that repeating a call with the same arguments has no further effect.</summary>
    /// <param name="idempotent">False to say it does.</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder Idempotent(bool idempotent = true) => Set(Descriptor with { Idempotent = idempotent });

    /// <summary>Names what the tool does, shared with the tools that can stand in for it.</summary>
    /// <param name="capability">A word shared by interchangeable tools (<c>geocode</c>, <c>send-sms</c>); must not be empty or white space.</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder Capability(string capability)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(capability);
        return Set(Descriptor with { Capability = capability });
    }

    /// <summary>Runs calls in the background as jobs.</summary>
    /// <param name="longRunning">False to run calls in line.</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
    public ToolDescriptorBuilder LongRunning(bool longRunning = true) => Set(Descriptor with { LongRunning = longRunning });

    /// <summary>Retries transient failures up to <paramref name="retries"/> times.</summary>
    /// <param name="retries">The number of retries (0 for none).</param>
    /// <returns>The same builder, changed in place, for chaining.</returns>
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
