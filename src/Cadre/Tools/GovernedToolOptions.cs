using Cadre.Security;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>How a <see cref="GovernedToolInvoker"/> governs calls. Stores left null are the calling run's workspace
/// stores (<see cref="Workspaces.IWorkspace"/>), so one invoker serves many runs.</summary>
public sealed record GovernedToolOptions
{
    /// <summary>Where tools the agent was not given are found (discovered tools, alternatives for fallback).</summary>
    public ToolRegistry? Registry { get; init; }

    /// <summary>Grants per agent; an agent without grants may call the tools it was given.</summary>
    public ToolPermissions Permissions { get; init; } = new();

    /// <summary>Decides calls of tools that require approval; with none, such calls are denied and the model is
    /// told why.</summary>
    public IToolApprover? Approver { get; init; }

    /// <summary>Tools that need approval besides those whose descriptor requires it — those an approval policy names
    /// (<see cref="ApprovalPolicy.Governs"/>), so a rule for a tool is never silently ignored. When
    /// <see cref="Approver"/> is itself an <see cref="ApprovalPolicy"/>, the tools it names need approval anyway; set
    /// this when a person approves but the policy still says which tools are governed.</summary>
    public Func<AIFunction, bool>? NeedsApproval { get; init; }

    /// <summary>How much of a tool's result the model gets (and the ledger and audit log keep); a longer result is
    /// cut, with a note saying how much.</summary>
    public ToolResultBudget ResultBudget { get; init; } = new();

    /// <summary>The most a call's arguments may take, in UTF-8 bytes of their JSON, for tools that set no
    /// <see cref="ToolDescriptor.MaxArgumentBytes"/> (default 64 KiB).</summary>
    public int MaxArgumentBytes { get; init; } = 64 * 1024;

    /// <summary>Hides secrets in what the audit log stores (arguments, results, details); nothing hidden when
    /// null.</summary>
    public SecretRedactor? Redactor { get; init; }

    /// <summary>The audit log; the workspace's when null (calls outside a workspace are then not audited).</summary>
    public IAuditLog? Audit { get; init; }

    /// <summary>Where rate limits and exclusive locks are shared between processes; the workspace's
    /// (<see cref="Workspaces.IWorkspace.Limits"/>) when null, and within this process only when neither has one.</summary>
    public IToolLimitStore? Limits { get; init; }

    /// <summary>How often a call of an exclusive tool held by another process asks again (default 100 ms).</summary>
    public TimeSpan LockPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The tool ledger; the workspace's when null.</summary>
    public IToolLedger? Ledger { get; init; }

    /// <summary>Where background jobs are kept; the workspace's when null, else in memory.</summary>
    public IToolJobStore? Jobs { get; init; }

    /// <summary>The result cache for tools with a <see cref="ToolDescriptor.CacheTtl"/>; one per invoker when null.</summary>
    public ToolResultCache? Cache { get; init; }

    /// <summary>The clock for limits, timeouts, retries, breakers, the cache and the audit log.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The timeout of one attempt for tools that set none (default none: a local tool runs until the run is
    /// cancelled; tools imported from MCP servers carry a timeout of their own, see
    /// <see cref="Mcp.McpConnectOptions.Timeout"/>).</summary>
    public TimeSpan? DefaultTimeout { get; init; }

    /// <summary>How many times a transient failure of a tool that is safe to repeat is retried, when the tool does
    /// not say (default 2).</summary>
    public int DefaultRetries { get; init; } = 2;

    /// <summary>The first retry's delay; later ones back off exponentially, with jitter (default 200 ms).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Where the retry jitter's random numbers (from 0 to 1) come from; Polly's own when null. A seeded source
    /// makes retry delays repeat (<c>--chaos ... --seed n</c>).</summary>
    public Func<double>? RetryRandomizer { get; init; }

    /// <summary>The share of failed calls within <see cref="BreakerSamplingDuration"/> that opens a tool's circuit
    /// (default 0.5).</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>How many calls the breaker must see in its window before it may open (default 4).</summary>
    public int BreakerMinimumThroughput { get; init; } = 4;

    /// <summary>The breaker's window (default 30 s).</summary>
    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before letting one through (default 30 s).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Which failures are transient (retried, counted by the breaker, eligible for fallback), besides
    /// <see cref="TransientToolException"/>, timeouts, <see cref="HttpRequestException"/> and
    /// <see cref="IOException"/>.</summary>
    public Func<Exception, bool>? IsTransient { get; init; }

    /// <summary>What the model is told when a call needs approval and there is no approver.</summary>
    public string NoApproverReason { get; init; } = "no approver is configured for this run";
}
