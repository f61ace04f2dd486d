namespace Cadre.Tools;

/// <summary>
/// Builds a governed tool-call pipeline step by step, like Microsoft.Extensions.AI's <c>ChatClientBuilder</c>: the
/// first step added is the outermost, the tool's own function is the last. <see cref="UseGovernance"/> adds every step
/// in the order Cadre's default path uses (<see cref="GovernedToolInvoker"/> is built that way); add single steps to
/// compose a path of your own, and <see cref="Use(Func{IToolInvoker, IToolInvoker})"/> to put a step of yours (a
/// <see cref="DelegatingToolInvoker"/>) anywhere in it.
/// </summary>
/// <example>
/// <code>
/// var invoker = new ToolInvokerBuilder(new GovernedToolOptions { Approver = policy })
///     .UseAudit()
///     .UsePermissions()
///     .Use(inner => new MyQuotaCheck(inner))
///     .UseArgumentChecks()
///     .UseApproval()
///     .UseLedger()
///     .UseResilience()
///     .Build();
/// </code>
/// </example>
/// <remarks>The steps share the options given here (registry, grants, approver, stores, clock, resilience settings)
/// and what they learn about each call, so a call passes through all of them with no allocation per step.</remarks>
public sealed class ToolInvokerBuilder
{
    private readonly List<Func<IToolInvoker, ToolGovernance, IToolInvoker>> _steps = [];
    private bool _audits;

    /// <summary>Starts an empty pipeline: built as is, it only calls the tool's function.</summary>
    /// <param name="options">What the steps govern with; defaults when null (stores are then the calling run's
    /// workspace's).</param>
    public ToolInvokerBuilder(GovernedToolOptions? options = null) => Options = options ?? new GovernedToolOptions();

    /// <summary>The options every step of this pipeline reads.</summary>
    public GovernedToolOptions Options { get; }

    /// <summary>Adds a step of your own; it gets the rest of the pipeline to hand calls on to.</summary>
    /// <param name="step">Makes the step around the invoker that follows it.</param>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder Use(Func<IToolInvoker, IToolInvoker> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps.Add((inner, _) => step(inner) ?? throw new InvalidOperationException("a tool invoker step returned null."));
        return this;
    }

    /// <summary>Writes one audit-log entry per call (who, what, arguments, status, result, why, how long, how many
    /// executions), secrets hidden; a failure of the path itself becomes a failed call instead of ending the run. Add it
    /// first, so it sees every outcome.</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseAudit()
    {
        _audits = true;
        return Add((inner, g) => new AuditStep(inner, g));
    }

    /// <summary>Finds the tool a call names and stops calls of unknown tools and of tools the agent is not granted
    /// (<see cref="GovernedToolOptions.Permissions"/>).</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UsePermissions() => Add((inner, g) => new PermissionStep(inner, g));

    /// <summary>Stops calls whose arguments are not JSON, too large or do not fit the tool's schema, telling the model
    /// what to fix.</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseArgumentChecks() => Add((inner, g) => new ArgumentCheckStep(inner, g));

    /// <summary>Asks the approver about calls of tools that need approval, before the ledger reserves their key; a
    /// denial is recorded in the ledger like any outcome.</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseApproval() => Add((inner, g) => new ApprovalStep(inner, g));

    /// <summary>Makes side-effecting calls in a run once per idempotency key: replays what the ledger has, repeats an
    /// unknown outcome only when safe, records every outcome (audited first when the pipeline audits).</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseLedger() => Add((inner, g) => new LedgerStep(inner, g));

    /// <summary>Answers calls of tools with a cache time from the result cache, and keeps their successful results.</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseCache() => Add((inner, g) => new CacheStep(inner, g));

    /// <summary>Starts calls of long-running tools as background jobs; the steps added after this one run them.</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseBackgroundJobs() => Add((inner, g) => new BackgroundJobStep(inner, g));

    /// <summary>Hides secrets in results and cuts them to the result budget.</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseResultBounds() => Add((inner, g) => new ResultBoundsStep(inner, g));

    /// <summary>Tries alternatives with the same capability when a tool fails in a way another could help with.</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseFallback() => Add((inner, g) => new FallbackStep(inner, g));

    /// <summary>Applies the rate limits and exclusive locks shared with other processes (<see cref="IToolLimitStore"/>).</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseSharedLimits() => Add((inner, g) => new SharedLimitStep(inner, g));

    /// <summary>Runs calls through their tool's Polly pipeline (in-process limits, retry, circuit breaker, timeout),
    /// made once per tool, and turns failures into records that tell the model what happened.</summary>
    /// <returns>The same builder, with the step placed inside those added before it, for chaining.</returns>
    public ToolInvokerBuilder UseResilience() => Add((inner, g) => new ResilienceStep(inner, g));

    /// <summary>Adds every step of Cadre's default governed path, in its order: audit, permissions, argument checks,
    /// approval, ledger, cache, background jobs, result bounds, fallback, shared limits, resilience.</summary>
    /// <returns>The same builder, with the eleven steps placed inside those added before, for chaining.</returns>
    public ToolInvokerBuilder UseGovernance() =>
        UseAudit().UsePermissions().UseArgumentChecks().UseApproval().UseLedger().UseCache().UseBackgroundJobs()
            .UseResultBounds().UseFallback().UseSharedLimits().UseResilience();

    /// <summary>Builds the pipeline, the tool's function last.</summary>
    /// <returns>The invoker, with what the governed path offers besides calls (job status, tool lookup).</returns>
    public GovernedToolInvoker Build()
    {
        var governance = new ToolGovernance(Options) { Audits = _audits };
        IToolInvoker pipeline = new ToolFunctionStep(governance);
        for (var i = _steps.Count - 1; i >= 0; i--)
        {
            pipeline = _steps[i](pipeline, governance);
        }

        governance.Pipeline = pipeline;
        return new GovernedToolInvoker(governance, pipeline);
    }

    private ToolInvokerBuilder Add(Func<IToolInvoker, ToolGovernance, IToolInvoker> step)
    {
        _steps.Add(step);
        return this;
    }
}
