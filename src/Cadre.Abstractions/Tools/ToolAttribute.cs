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

    /// <summary>Labels the tool-search tool matches (case-insensitive) and ranks by, besides the name and category;
    /// empty by default.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>True when every call must be approved before it runs.</summary>
    public bool RequiresApproval { get; set; }

    /// <summary>True when only one call may run at a time.</summary>
    public bool Exclusive { get; set; }

    /// <summary>How often everyone together may call the tool, as <c>calls/period</c> (<c>10/min</c>, <c>5/s</c>).</summary>
    public string? RateLimit { get; set; }

    /// <summary>How often each agent may call the tool, as <c>calls/period</c>.</summary>
    public string? RateLimitPerAgent { get; set; }

    /// <summary>How long one attempt may take, in seconds (0: the invoker's default).</summary>
    public double TimeoutSeconds { get; set; }

    /// <summary>How long results stay cached by arguments, in seconds (0: not cached).</summary>
    public double CacheSeconds { get; set; }

    /// <summary>True when repeating a call with the same arguments has no further effect.</summary>
    public bool Idempotent { get; set; }

    /// <summary>What the tool does, shared with the tools that can stand in for it.</summary>
    public string? Capability { get; set; }

    /// <summary>True when calls run in the background as jobs.</summary>
    public bool LongRunning { get; set; }

    /// <summary>How many times a transient failure is retried (-1: the invoker's default).</summary>
    public int MaxRetries { get; set; } = -1;

    /// <summary>The most a call's arguments may take, in UTF-8 bytes of their JSON (0: the invoker's default).</summary>
    public int MaxArgumentBytes { get; set; }

    /// <summary>The descriptor these properties describe.</summary>
    /// <exception cref="FormatException">A rate limit is not written as <c>calls/period</c>.</exception>
    public ToolDescriptor ToDescriptor() => new()
    {
        Category = string.IsNullOrWhiteSpace(Category) ? null : Category,
        Tags = Tags,
        SideEffects = SideEffects,
        RequiresApproval = RequiresApproval,
        Exclusive = Exclusive,
        RateLimit = RateLimit is null ? null : ToolRateLimit.Parse(RateLimit),
        RateLimitPerAgent = RateLimitPerAgent is null ? null : ToolRateLimit.Parse(RateLimitPerAgent),
        Timeout = TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : null,
        CacheTtl = CacheSeconds > 0 ? TimeSpan.FromSeconds(CacheSeconds) : null,
        Idempotent = Idempotent,
        Capability = string.IsNullOrWhiteSpace(Capability) ? null : Capability,
        LongRunning = LongRunning,
        MaxRetries = MaxRetries >= 0 ? MaxRetries : null,
        MaxArgumentBytes = MaxArgumentBytes > 0 ? MaxArgumentBytes : null,
    };
}
