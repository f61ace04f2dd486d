using System.Globalization;
using System.Runtime.CompilerServices;
using Cadre.Conversations;
using Cadre.Observability;
using Cadre.Resilience;
using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Cadre.Tools;

/// <summary>What the steps of one governed pipeline share: its options, the tools it has seen (each with its schema
/// and Polly pipeline, made once), the result cache, the background jobs, and the pipeline itself (tools that use
/// other tools call through it).</summary>
internal sealed class ToolGovernance
{
    private readonly ConditionalWeakTable<AIFunction, ToolState> _states = [];

    public ToolGovernance(GovernedToolOptions options)
    {
        Options = options;
        Cache = options.Cache ?? new ToolResultCache(options.Time);
        Jobs = new ToolJobRunner(this, options.Jobs);
    }

    public GovernedToolOptions Options { get; }

    public TimeProvider Time => Options.Time;

    public ToolResultCache Cache { get; }

    public ToolJobRunner Jobs { get; }

    /// <summary>The whole pipeline, outermost step first; set when it is built.</summary>
    public IToolInvoker Pipeline { get; set; } = null!;

    /// <summary>True when the pipeline has an audit step (the ledger then audits a call before recording it).</summary>
    public bool Audits { get; set; }

    /// <summary>Finds the tool a call names: among the tools the agent was given, then in the registry.</summary>
    public AIFunction? Resolve(ToolCallRequest request)
    {
        var name = request.Call.Name;
        var tools = request.Tools;
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i].Name == name)
            {
                return tools[i];
            }
        }

        return Options.Registry?.Find(name);
    }

    public ToolState StateOf(AIFunction tool) => _states.TryGetValue(tool, out var state) ? state : _states.GetValue(tool, t => new ToolState(t, this));

    /// <summary>The ledger that keeps a call: one with side effects, in a run, when there is a ledger; else null.</summary>
    public IToolLedger? LedgerFor(GovernedCall call) =>
        call.Tool() is { } state && state.Descriptor.SideEffects != SideEffects.None && call.Request.Context.RunId.Length > 0
            ? Options.Ledger ?? call.Request.Context.Ledger
            : null;

    // What a tool returned, as the model, the ledger and the audit log get it: secrets hidden, within the budget.
    public string Bounded(string result) => Options.ResultBudget.Fit(Options.Redactor?.Redact(result) ?? result);

    public bool IsTransient(Exception exception) => exception switch
    {
        TransientToolException or TimeoutRejectedException or TimeoutException or IOException => true,
        HttpRequestException { StatusCode: null } => true, // no answer from the far side: the network, not the request
        _ => TransientFailures.IsTransient(exception) || Options.IsTransient?.Invoke(exception) == true,
    };

    /// <summary>A failed call as the model and the audit log get it; passing when another tool might serve it.</summary>
    public (ToolCallStatus Status, string Text, string Reason, bool Passing) Describe(ToolState state, Exception exception)
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

    /// <summary>A failure as the call's record, the reason kept for the audit log; passing failures marked for fallback.</summary>
    public ToolCallRecord Failed(GovernedCall call, ToolState state, Exception exception)
    {
        var failure = Describe(state, exception);
        call.FailureIsPassing = failure.Passing;
        call.FailureReason = failure.Reason;
        call.Detail ??= failure.Reason;
        return call.Record(failure.Status, failure.Text);
    }

    public async ValueTask AuditAsync(ToolCallRequest request, ToolCallRecord record, string? detail, AuditOutcome? outcome, int executions)
    {
        var log = Options.Audit ?? request.Context.Audit;
        if (log is null)
        {
            return;
        }

        var redactor = Options.Redactor;
        try
        {
            var entry = new AuditEntry
            {
                At = Time.GetUtcNow(),
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
            request.Context.Observer.OnEvent(new RunNotice(request.Context.RunId, Time.GetUtcNow(),
                $"the audit entry of {record.Tool} ({request.IdempotencyKey}) could not be written: {ex.Message}"));
        }
    }

    private static string Limits(ToolDescriptor descriptor) =>
        string.Join("; ", new[]
        {
            descriptor.RateLimit is { } all ? $"at most {all} for everyone" : null,
            descriptor.RateLimitPerAgent is { } each ? $"at most {each} for each agent" : null,
        }.OfType<string>());

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
}
