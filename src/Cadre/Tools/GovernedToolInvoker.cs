using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// The one governed path for tool calls, built by <see cref="ToolInvokerBuilder"/>. By default, in order: audit (every
/// call, whatever came of it), permission (the agent must be granted the tool), argument checks (JSON, size, the tool's
/// schema), approval (asked before the ledger reserves the call's key), the ledger (a side effect that already happened
/// is replayed, every outcome recorded), the cache of side-effect-free results, background jobs for long-running
/// tools, result bounds (secrets hidden, size cut), fallback to an alternative with the same capability, limits shared
/// between processes, and resilience (in-process rate limits, exclusive tools one at a time, retry of transient
/// failures, a circuit breaker per tool, timeout). A bad call never throws: the model gets a tool error that says what
/// to fix.
/// </summary>
/// <remarks>The ledger replay skips approval because a recorded call has already happened (and was approved then):
/// asking again could only deny something done. A cache hit comes after approval but before limits, because it costs
/// the tool nothing. Polly does the mechanics (pipelines built once per tool); fallback chooses its alternative at call
/// time, since tools can be registered while agents run.</remarks>
public sealed class GovernedToolInvoker : IToolInvoker
{
    private readonly ToolGovernance _governance;
    private readonly IToolInvoker _pipeline;

    /// <summary>Creates an invoker with every step of the default governed path
    /// (<see cref="ToolInvokerBuilder.UseGovernance"/>).</summary>
    /// <param name="options">The registry, grants, approver, stores and resilience settings.</param>
    public GovernedToolInvoker(GovernedToolOptions? options = null)
        : this(new ToolInvokerBuilder(options).UseGovernance())
    {
    }

    /// <summary>Creates an invoker from a builder (the same as <see cref="ToolInvokerBuilder.Build"/>).</summary>
    /// <param name="builder">The steps and options.</param>
    public GovernedToolInvoker(ToolInvokerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var built = builder.Build();
        _governance = built._governance;
        _pipeline = built._pipeline;
    }

    internal GovernedToolInvoker(ToolGovernance governance, IToolInvoker pipeline)
    {
        _governance = governance;
        _pipeline = pipeline;
    }

    /// <summary>The registry, grants, approver, stores and resilience settings this invoker was made with.</summary>
    public GovernedToolOptions Options => _governance.Options;

    /// <summary>The pipeline's outermost step.</summary>
    public IToolInvoker Pipeline => _pipeline;

    /// <inheritdoc />
    public Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken) =>
        _pipeline.InvokeAsync(request, cancellationToken);

    /// <summary>Finds the tool a call names: among the tools the agent was given, then in the registry.</summary>
    /// <param name="request">The call; its function name is looked up.</param>
    /// <returns>The tool, or null when neither the agent's tools nor the registry have one by that name (matched case-sensitively).</returns>
    public AIFunction? Resolve(ToolCallRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _governance.Resolve(request);
    }

    /// <summary>Checks arguments against a tool's schema, as the governed path does.</summary>
    /// <param name="tool">The tool whose JSON schema is used (compiled once per tool and kept).</param>
    /// <param name="arguments">The arguments by name; null counts as none, so required fields are reported missing.</param>
    /// <returns>The problems; empty when they fit.</returns>
    public IReadOnlyList<ArgumentError> Validate(AIFunction tool, IDictionary<string, object?>? arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return _governance.StateOf(tool).Schema.Validate(arguments);
    }

    /// <summary>A tool that tells the model where its background jobs are (<c>job_status</c>). A job left running by
    /// a process that stopped is started again when asked about, under its own idempotency key.</summary>
    /// <param name="name">The name the model calls the tool by; <c>job_status</c> by default.</param>
    /// <returns>A function to give the agent alongside its other tools.</returns>
    public AIFunction CreateJobStatusTool(string name = ToolJobRunner.StatusToolName) => _governance.Jobs.CreateStatusTool(name);

    /// <summary>What shows an agent its background jobs of the run and the results of those that finished, so results
    /// reach it when they are ready: a system message, or none when it has no job. An agent asks before each model call
    /// through the context provider <c>invoker.CreateJobUpdates()</c> (in <c>Cadre.Agents</c>).</summary>
    /// <param name="context">The agent and run whose jobs to show.</param>
    /// <param name="cancellationToken">Cancels reading the job store; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The message, or an empty list.</returns>
    public ValueTask<IReadOnlyList<ChatMessage>> JobUpdatesAsync(ToolCallContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _governance.Jobs.UpdatesAsync(context, cancellationToken);
    }

    /// <summary>Waits for the background jobs this invoker started (tests, orderly shutdown).</summary>
    /// <returns>A task that completes when none runs.</returns>
    public Task WhenJobsIdleAsync() => _governance.Jobs.WhenIdleAsync();
}
