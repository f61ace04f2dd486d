using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cadre.Agents;
using Cadre.Observability;
using Cadre.Resilience;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace Cadre.Tools;

/// <summary>
/// The one governed path for tool calls. In order: permission (the agent must be granted the tool), validation
/// (arguments against the tool's JSON schema), the ledger's replay of a side effect that already happened, approval,
/// the cache of side-effect-free results, limits (rate limits per tool and per agent, exclusive tools one at a
/// time), resilience (timeout, retry of transient failures, a circuit breaker per tool, fallback to an alternative
/// with the same capability), then the ledger records side effects and the audit log records every call. A bad call
/// never throws: the model gets a tool error that says what to fix. Long-running tools run as background jobs.
/// </summary>
/// <remarks>The ledger replay comes before approval because a recorded call has already happened (and was approved
/// then): asking again could only deny something done. A cache hit comes after approval but before limits, because
/// it costs the tool nothing. Polly does the mechanics (pipelines built once per tool); fallback chooses its
/// alternative at call time, since tools can be registered while agents run.</remarks>
public sealed class GovernedToolInvoker : IToolInvoker
{
    private static readonly ResiliencePropertyKey<string> AgentKey = new("cadre.agent");
    private static readonly ResiliencePropertyKey<AgentContext?> CallerKey = new("cadre.caller");
    private readonly GovernedToolOptions _options;
    private readonly ConditionalWeakTable<AIFunction, ToolState> _states = [];
    private readonly ToolResultCache _cache;
    private readonly ToolJobRunner _jobs;

    /// <summary>Creates an invoker.</summary>
    /// <param name="options">The registry, grants, approver, stores and resilience settings.</param>
    public GovernedToolInvoker(GovernedToolOptions? options = null)
    {
        _options = options ?? new GovernedToolOptions();
        _cache = _options.Cache ?? new ToolResultCache(_options.Time);
        _jobs = new ToolJobRunner(this, _options.Jobs);
    }

    /// <summary>The registry, grants, approver, stores and resilience settings this invoker was made with.</summary>
    public GovernedToolOptions Options => _options;

    /// <inheritdoc />
    public async Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _options.Time.GetTimestamp();
        var call = request.Call;
        var arguments = ToolResults.FormatArguments(call);
        var outcome = new Outcome();
        ToolCallRecord record;
        try
        {
            record = await GovernAsync(request, arguments, outcome, started, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var cancelled = new ToolCallRecord(call.CallId, call.Name, arguments, ToolCallStatus.Failed, ToolResults.Error("the call was cancelled."), _options.Time.GetElapsedTime(started));
            await AuditAsync(request, cancelled, "cancelled", null, outcome.Executions);
            throw;
        }
        catch (ToolOutcomeUnknownException unknown)
        {
            // Not made: the run escalates. The audit says why, so a person can find the call.
            await AuditAsync(request, new ToolCallRecord(call.CallId, call.Name, arguments, ToolCallStatus.Failed, ToolResults.Error(unknown.Message), _options.Time.GetElapsedTime(started)),
                "outcome unknown", AuditOutcome.OutcomeUnknown, 0);
            throw;
        }
#pragma warning disable CA1031 // The path itself failing (an approver, a store) must not end the run either.
        catch (Exception ex) when (ex is not ApprovalPendingException and not CrashException and not Cadre.Workflows.RunSupersededException)
#pragma warning restore CA1031
        {
            record = new ToolCallRecord(call.CallId, call.Name, arguments, ToolCallStatus.Failed,
                ToolResults.Error($"the call to '{call.Name}' could not be completed: {ex.Message}"), _options.Time.GetElapsedTime(started));
            outcome.Detail = $"the governed path failed: {ex.GetType().Name}: {ex.Message}";
        }

        if (!outcome.Audited)
        {
            await AuditAsync(request, record, outcome.Detail, null, outcome.Executions);
        }

        return record;
    }

    /// <summary>Finds the tool a call names: among the tools the agent was given, then in the registry.</summary>
    /// <param name="request">The call.</param>
    /// <returns>The tool, or null.</returns>
    public AIFunction? Resolve(ToolCallRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Call.Name;
        foreach (var tool in request.Tools)
        {
            if (tool.Name == name)
            {
                return tool;
            }
        }

        return _options.Registry?.Find(name);
    }

    /// <summary>Checks arguments against a tool's schema, as the governed path does.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The problems; empty when they fit.</returns>
    public IReadOnlyList<ArgumentError> Validate(AIFunction tool, IDictionary<string, object?>? arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return StateOf(tool).Schema.Validate(arguments);
    }

    /// <summary>A tool that tells the model where its background jobs are (<c>job_status</c>). A job left running by
    /// a process that stopped is started again when asked about, under its own idempotency key.</summary>
    /// <param name="name">The tool's name.</param>
    /// <returns>The tool.</returns>
    public AIFunction CreateJobStatusTool(string name = ToolJobRunner.StatusToolName) => _jobs.CreateStatusTool(name);

    /// <summary>A context provider that shows an agent, before each model call, its background jobs of the run and
    /// the results of those that finished, so results reach the agent when they are ready.</summary>
    /// <returns>The provider; add it with <see cref="Agent.WithContext"/>.</returns>
    public IAgentContextProvider CreateJobUpdates() => _jobs.CreateUpdates();

    /// <summary>Waits for the background jobs this invoker started (tests, orderly shutdown).</summary>
    /// <returns>A task that completes when none runs.</returns>
    public Task WhenJobsIdleAsync() => _jobs.WhenIdleAsync();

    private async ValueTask<ToolCallRecord> GovernAsync(ToolCallRequest request, string arguments, Outcome outcome, long started, CancellationToken cancellationToken)
    {
        var call = request.Call;
        var context = request.Context;
        ToolCallRecord Done(ToolCallStatus status, string text, string? detail = null)
        {
            outcome.Detail ??= detail;
            return new ToolCallRecord(call.CallId, call.Name, arguments, status, text, _options.Time.GetElapsedTime(started));
        }

        var tool = Resolve(request);
        if (tool is null)
        {
            return Done(ToolCallStatus.UnknownTool, ToolErrors.UnknownTool(call.Name, request.Tools.Select(t => t.Name)), "unknown tool");
        }

        if (!_options.Permissions.Allows(context.Agent, tool, request.Tools))
        {
            return Done(ToolCallStatus.Denied, ToolResults.Error(
                $"agent '{context.Agent}' is not allowed to call '{tool.Name}'. Use one of your own tools: {string.Join(", ", request.Tools.Select(t => t.Name))}."),
                "not granted");
        }

        if (call.Exception is not null)
        {
            return Done(ToolCallStatus.InvalidArguments, ToolErrors.MalformedArguments(call.Name, call.Exception), "malformed JSON");
        }

        var state = StateOf(tool);
        var limit = state.Descriptor.MaxArgumentBytes ?? _options.MaxArgumentBytes;
        if (Encoding.UTF8.GetByteCount(arguments) is var size && size > limit)
        {
            // The oversized text is not kept either: the audit entry gets its beginning.
            arguments = string.Concat(arguments.AsSpan(0, Math.Min(arguments.Length, 256)), $"… [{size} bytes]");
            return Done(ToolCallStatus.InvalidArguments, ToolResults.Error(
                $"the arguments for '{tool.Name}' are {size:N0} bytes; at most {limit:N0} are accepted. Send less (shorter text, fewer items)."),
                "arguments too large");
        }

        var errors = state.Schema.Validate(call.Arguments);
        if (errors.Count > 0)
        {
            return Done(ToolCallStatus.InvalidArguments, ToolResults.Error(
                $"the arguments for '{tool.Name}' do not fit its parameters: {string.Join("; ", errors)}. Fix them and call it again."),
                "schema");
        }

        if (state.Descriptor.SideEffects == SideEffects.None || context.RunId.Length == 0 || (_options.Ledger ?? context.Workspace?.Ledger) is not { } ledger)
        {
            // Nothing for the ledger to keep: go straight on (what LedgerToolInvoker does too).
            return await RunAsync(state, request, arguments, outcome, started, false, cancellationToken);
        }

        // The ledger's once-per-key rule is LedgerToolInvoker's; the rest of the path runs only when it has no record.
        var ran = false;
        var approved = false;
        ToolCallRecord? denied = null;
        var record = await LedgerToolInvoker.OnceAsync(ledger, request, state.Descriptor.Idempotent, (r, ct) =>
        {
            ran = true;
            return denied is { } no ? ValueTask.FromResult(no) : RunAsync(state, r, arguments, outcome, started, approved, ct);
        }, async (made, done) =>
        {
            // Audited before the ledger records it: a crash in between leaves the execution visible in the audit and the
            // call pending (outcome unknown) in the ledger — never an execution the audit does not show.
            var detail = made.IsRepeat ? $"outcome unknown after a crash: made again under the same key{(outcome.Detail is { } d ? "; " + d : "")}" : outcome.Detail;
            await AuditAsync(made, done with { Duration = _options.Time.GetElapsedTime(started) }, detail, null, outcome.Executions);
            outcome.Audited = true;
        }, state.RequiresApproval ? async (r, ct) =>
        {
            // Decided before the key is reserved: a call waiting for a person has reserved nothing.
            denied = await ApproveAsync(state, r, arguments, outcome, started, ct);
            approved = true;
        } : null, cancellationToken);
        if (record.Status == ToolCallStatus.Replayed && !ran)
        {
            outcome.Detail = "replayed from the ledger";
            record = record with { Duration = _options.Time.GetElapsedTime(started) };
        }

        return record;
    }

    // Asks for the call's approval: null when approved, else the denied outcome the model is given.
    private async ValueTask<ToolCallRecord?> ApproveAsync(ToolState state, ToolCallRequest request, string arguments, Outcome outcome, long started, CancellationToken cancellationToken)
    {
        var call = request.Call;
        var context = request.Context;
        ToolCallRecord Done(ToolCallStatus status, string text) =>
            new(call.CallId, call.Name, arguments, status, text, _options.Time.GetElapsedTime(started));

        var approval = new ToolApprovalRequestContent(call.CallId.Length > 0 ? call.CallId : request.IdempotencyKey, call);
        ToolApprovalResponseContent response;
        try
        {
            response = _options.Approver is { } approver
                ? await approver.DecideAsync(approval, new ToolApprovalContext(context, state.Tool, state.Descriptor, arguments) { Key = request.IdempotencyKey }, cancellationToken)
                : ToolApprovals.Deny(approval, "no approver", _options.NoApproverReason);
        }
        catch (Exception ex) when ((ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && ex is not ApprovalPendingException)
        {
            // An approver that fails has not approved. One that waits for a person stops the run instead.
            response = ToolApprovals.Deny(approval, "approver", $"the approver failed ({ex.Message})");
        }

        var who = ToolApprovals.ApproverOf(response);
        var escalated = !response.Approved && ToolApprovals.IsEscalated(response);
        context.Observer.OnEvent(new ToolApprovalDecided(context.RunId, _options.Time.GetUtcNow(), context.Agent, call.Name, response.Approved, who, response.Reason, escalated));
        if (!response.Approved)
        {
            outcome.Detail = $"{(escalated ? "denied and escalated" : "denied")} by {who}{(response.Reason is { Length: > 0 } r ? ": " + r : "")}";
            return Done(ToolCallStatus.Denied, ToolResults.Error(
                $"the call to '{call.Name}' was not approved ({who}{(response.Reason is { Length: > 0 } why ? ": " + why : "")}). " +
                (escalated
                    ? "It has been escalated to a person, who will follow up; tell the user so and do not call it again."
                    : "Do not call it again for this; tell the user what you would have done instead.")));
        }

        outcome.Detail = $"approved by {who}{(response.Reason is { Length: > 0 } because ? ": " + because : "")}";
        return null;
    }

    // Approval (unless already decided), cache, jobs, limits and resilience: what runs when the ledger has no record of the call.
    private async ValueTask<ToolCallRecord> RunAsync(ToolState state, ToolCallRequest request, string arguments, Outcome outcome, long started, bool approved, CancellationToken cancellationToken)
    {
        var call = request.Call;
        ToolCallRecord Done(ToolCallStatus status, string text) =>
            new(call.CallId, call.Name, arguments, status, text, _options.Time.GetElapsedTime(started));

        if (state.RequiresApproval && !approved && await ApproveAsync(state, request, arguments, outcome, started, cancellationToken) is { } denied)
        {
            return denied;
        }

        string? cacheKey = null;
        if (state.Descriptor.CacheTtl is not null)
        {
            cacheKey = CanonicalArguments(call);
            if (_cache.TryGet(state.Tool.Name, cacheKey, out var cached))
            {
                outcome.Detail = "cache";
                return Done(ToolCallStatus.Replayed, cached);
            }
        }

        if (state.Descriptor.LongRunning)
        {
            return await _jobs.StartAsync(state, request, arguments, outcome, cancellationToken);
        }

        var (status, text) = await ExecuteAsync(state, request, outcome, null, cancellationToken);
        if (status == ToolCallStatus.Succeeded && cacheKey is not null)
        {
            _cache.Set(state.Tool.Name, cacheKey, text, state.Descriptor.CacheTtl!.Value);
        }

        return Done(status, text);
    }

    // Limits and resilience around one tool, then fallback to alternatives when the failure is one they can help with.
    internal async ValueTask<(ToolCallStatus Status, string Text)> ExecuteAsync(ToolState state, ToolCallRequest request, Outcome outcome, HashSet<string>? tried, CancellationToken cancellationToken)
    {
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        resilience.Properties.Set(CallerKey, request.Context);
        if (state.Descriptor.RateLimitPerAgent is not null)
        {
            resilience.Properties.Set(AgentKey, request.Context.Agent);
        }

        var limits = _options.Limits ?? request.Context.Workspace?.Limits;
        string? holder = null;
        try
        {
            var arguments = state.NeedsScope
                ? new ToolCallScope(request, this, _options.Permissions).Arguments(request.Call.Arguments)
                : request.Caller().Arguments(request.Call.Arguments);
            if (limits is not null)
            {
                holder = await TakeSharedLimitsAsync(limits, state, request.Context.Agent, cancellationToken);
            }

            var result = await state.Pipeline.ExecuteAsync(
                static async (rc, s) =>
                {
                    Interlocked.Increment(ref s.Outcome.Executions);
                    return ToolResults.Format(await s.Tool.InvokeAsync(s.Arguments, rc.CancellationToken));
                },
                resilience,
                (state.Tool, Arguments: arguments, Outcome: outcome));
            return (ToolCallStatus.Succeeded, Bounded(result));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failing tool must never end the run: its error goes back to the model.
        catch (Exception ex) when (ex is not CrashException)
#pragma warning restore CA1031
        {
            var failure = Describe(state, ex);
            if (failure.Passing && state.Descriptor.Capability is not null)
            {
                tried ??= new HashSet<string>(StringComparer.Ordinal);
                tried.Add(state.Tool.Name);
                foreach (var alternative in Alternatives(state, request, tried))
                {
                    var (status, text) = await ExecuteAsync(StateOf(alternative), request, outcome, tried, cancellationToken);
                    if (status == ToolCallStatus.Succeeded)
                    {
                        outcome.Detail = $"served by '{alternative.Name}' after '{state.Tool.Name}' failed: {failure.Reason}";
                        return (status, text);
                    }
                }
            }

            outcome.Detail ??= failure.Reason;
            return (failure.Status, Bounded(failure.Text));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
            if (holder is not null)
            {
                await limits!.ReleaseAsync(ExclusiveKey(state), holder, CancellationToken.None);
            }
        }
    }

    // The limits other processes sharing the workspace count too: rate limits (a rejection reads like the in-process
    // limiter's) and, for an exclusive tool, a lock held for the call. Returns the lock's holder, if one was taken.
    private async ValueTask<string?> TakeSharedLimitsAsync(IToolLimitStore limits, ToolState state, string agent, CancellationToken cancellationToken)
    {
        var d = state.Descriptor;
        foreach (var (key, limit) in new[] { ($"rate:{state.Tool.Name}", d.RateLimit), ($"rate:{state.Tool.Name}:{agent}", d.RateLimitPerAgent) })
        {
            if (limit is not null && await limits.TryAcquireAsync(key, limit, _options.Time.GetUtcNow(), cancellationToken) is { } wait)
            {
                throw new RateLimiterRejectedException($"'{state.Tool.Name}' is rate limited across processes.", wait);
            }
        }

        if (!d.Exclusive)
        {
            return null;
        }

        // The lease outlasts every attempt of the call, so only a holder that died loses it.
        var attempt = d.Timeout ?? _options.DefaultTimeout ?? TimeSpan.FromMinutes(10);
        var lease = attempt * ((d.MaxRetries ?? _options.DefaultRetries) + 1) + TimeSpan.FromMinutes(1);
        var holder = Guid.NewGuid().ToString("n");
        while (!await limits.TryLockAsync(ExclusiveKey(state), holder, _options.Time.GetUtcNow(), lease, cancellationToken))
        {
            await Task.Delay(_options.LockPollInterval, _options.Time, cancellationToken);
        }

        return holder;
    }

    private static string ExclusiveKey(ToolState state) => "lock:" + state.Tool.Name;

    // What a tool returned, as the model, the ledger and the audit log get it: secrets hidden, within the budget.
    private string Bounded(string result) => _options.ResultBudget.Fit(_options.Redactor?.Redact(result) ?? result);

    internal ToolState StateOf(AIFunction tool) => _states.TryGetValue(tool, out var state) ? state : _states.GetValue(tool, t => new ToolState(t, this));

    internal bool IsTransient(Exception exception) => exception switch
    {
        TransientToolException or TimeoutRejectedException or TimeoutException or IOException => true,
        HttpRequestException { StatusCode: null } => true, // no answer from the far side: the network, not the request
        _ => TransientFailures.IsTransient(exception) || _options.IsTransient?.Invoke(exception) == true,
    };

    private IEnumerable<AIFunction> Alternatives(ToolState state, ToolCallRequest request, HashSet<string> tried)
    {
        var capability = state.Descriptor.Capability;
        if (capability is null)
        {
            yield break;
        }

        var candidates = request.Tools.Where(t => ToolDescriptor.Of(t).Capability == capability)
            .Concat(_options.Registry?.AlternativesTo(state.Tool) ?? []);
        foreach (var candidate in candidates)
        {
            // An alternative must be one the agent may call, take the same arguments and need no approval that the
            // original did not get.
            if (!tried.Contains(candidate.Name)
                && _options.Permissions.Allows(request.Context.Agent, candidate, request.Tools)
                && (!StateOf(candidate).RequiresApproval || state.RequiresApproval)
                && StateOf(candidate).Schema.Validate(request.Call.Arguments).Count == 0)
            {
                yield return candidate;
            }
        }
    }

    private (ToolCallStatus Status, string Text, string Reason, bool Passing) Describe(ToolState state, Exception exception)
    {
        var name = state.Tool.Name;
        switch (exception)
        {
            case TimeoutRejectedException timeout:
                return (ToolCallStatus.Failed, ToolResults.Error($"'{name}' did not finish within {Seconds(timeout.Timeout)} and was abandoned. Try again later or another way."), "timed out", true);
            case BrokenCircuitException broken:
                var wait = broken.RetryAfter is { } after ? $" for about {Seconds(after)}" : "";
                return (ToolCallStatus.Failed, ToolResults.Error($"'{name}' is unavailable: it failed repeatedly and is paused{wait}. Try again later or use another tool."), "circuit open", true);
            case RateLimiterRejectedException limited:
                var retry = limited.RetryAfter is { } retryAfter ? $" Try again in {Seconds(retryAfter)}." : "";
                return (ToolCallStatus.Failed, ToolResults.Error($"'{name}' is called too often ({Limits(state.Descriptor)}).{retry}"), "rate limited", true);
            default:
                var (status, text) = ToolErrors.Describe(name, exception);
                return (status, text, IsTransient(exception) ? $"transient failure: {exception.Message}" : $"failed: {exception.Message}", IsTransient(exception));
        }
    }

    private static string Limits(ToolDescriptor descriptor) =>
        string.Join("; ", new[]
        {
            descriptor.RateLimit is { } all ? $"at most {all} for everyone" : null,
            descriptor.RateLimitPerAgent is { } each ? $"at most {each} for each agent" : null,
        }.OfType<string>());

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";

    // Arguments in a canonical order, so the same call written two ways hits the same cache entry.
    private static string CanonicalArguments(FunctionCallContent call) =>
        call.Arguments is null or { Count: 0 }
            ? "{}"
            : JsonSerializer.Serialize(new SortedDictionary<string, object?>(call.Arguments, StringComparer.Ordinal), AIJsonUtilities.DefaultOptions);

    private async ValueTask AuditAsync(ToolCallRequest request, ToolCallRecord record, string? detail, AuditOutcome? outcome, int executions)
    {
        var log = _options.Audit ?? request.Context.Workspace?.Audit;
        if (log is null)
        {
            return;
        }

        var redactor = _options.Redactor;
        try
        {
            var entry = new AuditEntry
            {
                At = _options.Time.GetUtcNow(),
                RunId = request.Context.RunId,
                Step = request.Context.Step,
                Agent = request.Context.Agent,
                Tool = record.Tool,
                CallId = record.CallId,
                Key = request.IdempotencyKey,
                Arguments = redactor?.Redact(record.Arguments) ?? record.Arguments,
                Status = record.Status,
                Result = redactor?.Redact(record.Result) ?? record.Result,
                Detail = redactor is null ? detail : redactor.Redact(detail),
                Duration = record.Duration,
                Executions = executions,
            };
            await log.AppendAsync(outcome is { } set ? entry with { Outcome = set } : entry, CancellationToken.None);
        }
#pragma warning disable CA1031 // A call that happened is not undone because its audit entry could not be written; the host is told.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            request.Context.Observer.OnEvent(new RunNotice(request.Context.RunId, _options.Time.GetUtcNow(),
                $"the audit entry of {record.Tool} ({request.IdempotencyKey}) could not be written: {ex.Message}"));
        }
    }

    /// <summary>What decided a call's outcome, for the audit log.</summary>
    internal sealed class Outcome
    {
        public string? Detail { get; set; }

        /// <summary>How many times the tool's code ran (each attempt that reached it).</summary>
        public int Executions;

        /// <summary>True once the call's audit entry is written (a side-effecting call is audited before the ledger
        /// records it).</summary>
        public bool Audited { get; set; }
    }

    /// <summary>A tool as this invoker knows it: descriptor, compiled schema and its Polly pipeline, made once.</summary>
    internal sealed class ToolState
    {
        public ToolState(AIFunction tool, GovernedToolInvoker invoker)
        {
            var options = invoker._options;
            Tool = tool;
            Descriptor = ToolDescriptor.Of(tool);
            Schema = ArgumentSchema.Compile(tool.JsonSchema);
            NeedsScope = tool.GetService<ScopedFunction>() is not null;
            // A policy given as the approver governs the tools it names, even when no one said NeedsApproval.
            RequiresApproval = Descriptor.RequiresApproval || options.NeedsApproval?.Invoke(tool) == true
                || (options.Approver is ApprovalPolicy policy && policy.Governs(tool));
            var builder = new ResiliencePipelineBuilder { TimeProvider = options.Time, Name = $"cadre-tool:{tool.Name}" };
            if (Descriptor.RateLimit is { } limit)
            {
                builder.AddRateLimiter(new WindowRateLimiter(limit, options.Time));
            }

            if (Descriptor.RateLimitPerAgent is { } perAgent)
            {
                var limiters = new System.Collections.Concurrent.ConcurrentDictionary<string, WindowRateLimiter>(StringComparer.Ordinal);
                builder.AddRateLimiter(new RateLimiterStrategyOptions
                {
                    RateLimiter = args => limiters
                        .GetOrAdd(args.Context.Properties.GetValue(AgentKey, ""), _ => new WindowRateLimiter(perAgent, options.Time))
                        .AcquireAsync(1, args.Context.CancellationToken),
                });
            }

            if (Descriptor.Exclusive)
            {
                builder.AddConcurrencyLimiter(permitLimit: 1, queueLimit: int.MaxValue);
            }

            // A tool that may be repeated is retried on any transient failure; a side-effecting one only when the
            // failure proves the call never reached it, so a retry can never do its effect twice.
            var retries = Descriptor.MaxRetries ?? options.DefaultRetries;
            var safe = Descriptor.IsSafeToRepeat;
            var transient = new PredicateBuilder().Handle<Exception>(invoker.IsTransient);
            if (retries > 0)
            {
                var retry = new RetryStrategyOptions
                {
                    MaxRetryAttempts = retries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(e => safe ? invoker.IsTransient(e) : TransientFailures.NeverReached(e)),
                    OnRetry = args =>
                    {
                        var error = args.Outcome.Exception!;
                        var caller = args.Context.Properties.GetValue(CallerKey, null);
                        ResilienceEvents.Publish(null, options.Time, (run, at) => new ToolCallRetrying(
                            run, at, caller?.Agent ?? "", tool.Name, args.AttemptNumber + 1, args.RetryDelay, TransientFailures.Describe(error)), caller);
                        return default;
                    },
                };
                if (options.RetryRandomizer is { } randomizer)
                {
                    retry.Randomizer = randomizer;
                }

                builder.AddRetry(retry);
            }

            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = transient,
            });
            if ((Descriptor.Timeout ?? options.DefaultTimeout) is { } timeout)
            {
                builder.AddTimeout(timeout);
            }

            Pipeline = builder.Build();
        }

        public AIFunction Tool { get; }

        public ToolDescriptor Descriptor { get; }

        public ArgumentSchema Schema { get; }

        /// <summary>Whether calls are approved first: the descriptor says so or the invoker's policy names the tool.</summary>
        public bool RequiresApproval { get; }

        public bool NeedsScope { get; }

        public ResiliencePipeline Pipeline { get; }
    }
}
