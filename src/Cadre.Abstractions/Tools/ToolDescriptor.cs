using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// How Cadre treats a tool: what it does to the world, who must approve it, how often and how long it may run, whether
/// its results may be cached, and which tools can stand in for it. Attached to an <see cref="AIFunction"/> with
/// <see cref="Attach"/> (or by <c>ToolRegistry.Add</c> in Cadre and
/// <see cref="ToolAttribute"/>) and read back with <see cref="Of"/>.
/// </summary>
public sealed record ToolDescriptor
{
    /// <summary>A tool with no special treatment: reads only, no approval, no limits.</summary>
    public static ToolDescriptor Default { get; } = new();

    /// <summary>A category that grants and discovery can name instead of each tool (<c>crm</c>, <c>email</c>).</summary>
    public string? Category { get; init; }

    /// <summary>Free-form labels for discovery (<c>billing</c>, <c>read-only</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>What calling the tool does to the world. Side-effecting calls are recorded in the tool ledger and are
    /// not repeated when a run is resumed or a call retried.</summary>
    public SideEffects SideEffects { get; init; }

    /// <summary>True when every call must be approved (by a callback, a person or a policy) before it runs.</summary>
    public bool RequiresApproval { get; init; }

    /// <summary>True when only one call of the tool may run at a time, across agents and runs of the process.</summary>
    public bool Exclusive { get; init; }

    /// <summary>How often the tool may be called by everyone together; unlimited when null.</summary>
    public ToolRateLimit? RateLimit { get; init; }

    /// <summary>How often each agent may call the tool; unlimited when null.</summary>
    public ToolRateLimit? RateLimitPerAgent { get; init; }

    /// <summary>How long one attempt may take before it is abandoned; the invoker's default when null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long a result stays cached by its arguments; not cached when null. Only for tools without side
    /// effects, whose result depends on the arguments alone.</summary>
    public TimeSpan? CacheTtl { get; init; }

    /// <summary>True when calling the tool again with the same arguments has no further effect, so a failed call may be
    /// retried even though it has side effects.</summary>
    public bool Idempotent { get; init; }

    /// <summary>What the tool does in a word shared by interchangeable tools (<c>geocode</c>, <c>send-sms</c>). When a
    /// call fails for a transient reason, another registered tool with the same capability is tried.</summary>
    public string? Capability { get; init; }

    /// <summary>True when the tool runs in the background: the call returns a job handle at once and the result
    /// reaches the agent when it is ready.</summary>
    public bool LongRunning { get; init; }

    /// <summary>How many times a transient failure is retried; when null, the invoker's default for tools that are
    /// safe to repeat (<see cref="IsSafeToRepeat"/>) and none for the others.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The most a call's arguments may take, in UTF-8 bytes of their JSON; the invoker's
    /// governed invoker's <c>GovernedToolOptions.MaxArgumentBytes</c> when null. A larger call is refused before it reaches the
    /// tool.</summary>
    public int? MaxArgumentBytes { get; init; }

    /// <summary>True when calling the tool twice does no harm: it has no side effects or is idempotent.</summary>
    public bool IsSafeToRepeat => SideEffects == SideEffects.None || Idempotent;

    /// <summary>Reads the descriptor of a tool: the one attached with <see cref="Attach"/>, or one built from the
    /// metadata keys of <see cref="ToolNames"/>; <see cref="AITool"/>s wrapped in
    /// <see cref="ApprovalRequiredAIFunction"/> require approval.</summary>
    /// <returns>Its descriptor (<see cref="Default"/> when it has none).</returns>
    public static ToolDescriptor Of(AITool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var descriptor = tool.GetService<ToolDescriptor>();
        if (descriptor is null)
        {
            var category = tool.AdditionalProperties.TryGetValue(ToolNames.CategoryKey, out var c) ? c as string : null;
            var effects = tool.AdditionalProperties.TryGetValue(ToolNames.SideEffectsKey, out var e) && e is SideEffects s ? s : SideEffects.None;
            descriptor = category is null && effects == SideEffects.None ? Default : new ToolDescriptor { Category = category, SideEffects = effects };
        }

        return !descriptor.RequiresApproval && tool.GetService<ApprovalRequiredAIFunction>() is not null
            ? descriptor with { RequiresApproval = true }
            : descriptor;
    }

    /// <summary>Returns <paramref name="function"/> with this descriptor attached (replacing one attached before).
    /// A tool that requires approval is wrapped in <see cref="ApprovalRequiredAIFunction"/>, so other
    /// Microsoft.Extensions.AI hosts (<c>FunctionInvokingChatClient</c>) ask for approval too.</summary>
    /// <returns>The described function; its name, description, schema and behaviour are the original's. A function
    /// that was wrapped in <see cref="ApprovalRequiredAIFunction"/> elsewhere keeps requiring approval.</returns>
    /// <exception cref="ArgumentException">The descriptor is inconsistent (a cached tool with side effects, a
    /// negative timeout, ...).</exception>
    public AIFunction Attach(AIFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Validate(function.Name);
        // Unwrap what Attach made before, so a tool described twice is wrapped once.
        var inner = function;
        while (true)
        {
            if (inner is DescribedTool own)
            {
                inner = own.Original;
            }
            else if (inner is ApprovalRequiredAIFunction && inner.GetService<DescribedTool>() is { } wrapped && ReferenceEquals(wrapped.ApprovalWrapper, inner))
            {
                inner = wrapped.Original;
            }
            else
            {
                break;
            }
        }

        var described = new DescribedTool(inner, this);
        if (!RequiresApproval)
        {
            return described;
        }

        described.ApprovalWrapper = new ApprovalRequiredAIFunction(described);
        return described.ApprovalWrapper;
    }

    private void Validate(string tool)
    {
        if (CacheTtl is { } ttl && (ttl <= TimeSpan.Zero || SideEffects != SideEffects.None))
        {
            throw new ArgumentException(ttl <= TimeSpan.Zero
                ? $"Tool '{tool}': the cache TTL must be positive."
                : $"Tool '{tool}' has side effects ({SideEffects}); only tools without side effects may cache their results.");
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Tool '{tool}': the timeout must be positive.");
        }

        if (MaxArgumentBytes is <= 0)
        {
            throw new ArgumentException($"Tool '{tool}': the argument size limit must be positive.");
        }

        if (MaxRetries is < 0)
        {
            throw new ArgumentException($"Tool '{tool}': the number of retries cannot be negative.");
        }

        foreach (var limit in new[] { RateLimit, RateLimitPerAgent })
        {
            if (limit is not null && (limit.Permits <= 0 || limit.Window <= TimeSpan.Zero))
            {
                throw new ArgumentException($"Tool '{tool}': a rate limit needs at least one call per positive window, not {limit.Permits} per {limit.Window}.");
            }
        }
    }
}
