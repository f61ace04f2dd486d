using Cadre.Conversations;
using Cadre.Security;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Tools;

/// <summary>The governed path composed step by step: steps of the user's own, their order, and each governance step
/// still enforced when a user's step sits among them.</summary>
public sealed class ToolInvokerBuilderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryWorkspace _workspace = new();

    private GovernedToolOptions Options(GovernedToolOptions? options = null) =>
        (options ?? new GovernedToolOptions()) with { Time = _time, RetryDelay = TimeSpan.Zero };

    private Task<ToolCallRecord> Call(IToolInvoker invoker, string tool, string json, IReadOnlyList<AIFunction> tools, int index = 0, string agent = "billing") =>
        invoker.InvokeAsync(ToolCalls.Request(tool, json, tools, ToolCalls.Run(agent, "run-1", 1, _workspace, _time), index), CancellationToken.None);

    // The default path with a step of the user's own in its middle: after the ledger, before the cache.
    private GovernedToolInvoker WithStepInTheMiddle(Recorder recorder, GovernedToolOptions? options = null) =>
        new ToolInvokerBuilder(Options(options))
            .UseAudit().UsePermissions().UseArgumentChecks().UseApproval().UseLedger()
            .Use(inner => new RecordingStep(inner, recorder, "mine"))
            .UseCache().UseBackgroundJobs().UseResultBounds().UseFallback().UseSharedLimits().UseResilience()
            .Build();

    [Fact]
    public async Task Steps_of_the_users_own_run_in_the_order_they_were_added_around_the_governed_steps()
    {
        var recorder = new Recorder();
        var tool = AIFunctionFactory.Create((string invoiceId) => { recorder.Add("tool"); return $"invoice {invoiceId}"; }, "lookup_invoice");
        var invoker = new ToolInvokerBuilder(Options())
            .Use(inner => new RecordingStep(inner, recorder, "outer"))
            .UseGovernance()
            .Use(inner => new RecordingStep(inner, recorder, "inner"))
            .Build();

        var record = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool]);

        Assert.Equal((ToolCallStatus.Succeeded, "invoice INV-1"), (record.Status, record.Result));
        Assert.Equal(["outer>", "inner>", "tool", "<inner", "<outer"], recorder.Events);
    }

    [Fact]
    public async Task A_step_of_the_users_own_can_stop_a_call_and_the_audit_still_records_it_once()
    {
        var ran = 0;
        var tool = AIFunctionFactory.Create((string invoiceId) => { ran++; return "x"; }, "lookup_invoice");
        var invoker = new ToolInvokerBuilder(Options())
            .UseAudit()
            .Use(inner => new QuotaStep(inner))
            .UsePermissions().UseResilience()
            .Build();

        var record = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], agent: "intern");

        Assert.Equal(ToolCallStatus.Denied, record.Status);
        Assert.Equal(0, ran);
        var entry = Assert.Single(await _workspace.Audit.QueryAsync(new AuditQuery()));
        Assert.Equal(("intern", ToolCallStatus.Denied), (entry.Agent, entry.Status));
    }

    [Fact]
    public async Task A_side_effect_audited_by_the_ledger_is_not_audited_again_across_a_users_step_and_replays_without_running()
    {
        var sent = 0;
        var recorder = new Recorder();
        var send = new ToolDescriptor { SideEffects = SideEffects.Irreversible }.Attach(AIFunctionFactory.Create((string to) => $"message {++sent} to {to}", "send_email"));

        var first = await Call(WithStepInTheMiddle(recorder), "send_email", """{"to":"a@b.c"}""", [send]);
        var again = await Call(WithStepInTheMiddle(recorder), "send_email", """{"to":"a@b.c"}""", [send]);

        Assert.Equal((ToolCallStatus.Succeeded, ToolCallStatus.Replayed, 1), (first.Status, again.Status, sent));
        Assert.Equal(["mine>", "<mine"], recorder.Events); // the replay never reached the steps below the ledger
        var entries = await _workspace.Audit.QueryAsync(new AuditQuery());
        Assert.Equal([ToolCallStatus.Succeeded, ToolCallStatus.Replayed], entries.Select(e => e.Status).Order());
        Assert.Equal("replayed from the ledger", entries.Single(e => e.Status == ToolCallStatus.Replayed).Detail);
    }

    [Fact]
    public async Task Every_governance_step_is_still_enforced_with_a_users_step_among_them()
    {
        var recorder = new Recorder();
        var attempts = 0;
        var lookup = new ToolDescriptor { CacheTtl = TimeSpan.FromMinutes(5) }.Attach(AIFunctionFactory.Create(
            (string invoiceId) => ++attempts < 3 ? throw new TransientToolException("busy") : $"invoice {invoiceId} key=sk-secret-0123456789", "lookup_invoice"));
        var send = new ToolDescriptor { SideEffects = SideEffects.Irreversible, RequiresApproval = true }.Attach(AIFunctionFactory.Create((string to) => "sent", "send_email"));
        var registry = new ToolRegistry().Add(AIFunctionFactory.Create((string to) => "sms", "send_sms"));
        var invoker = WithStepInTheMiddle(recorder, new GovernedToolOptions
        {
            Registry = registry,
            Redactor = new SecretRedactor(["sk-secret-0123456789"]),
        });

        var notGranted = await Call(invoker, "send_sms", """{"to":"a"}""", [lookup, send], index: 0);
        var badArguments = await Call(invoker, "lookup_invoice", """{"invoiceId":7}""", [lookup, send], index: 1);
        var denied = await Call(invoker, "send_email", """{"to":"a@b.c"}""", [lookup, send], index: 2);
        var retried = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [lookup, send], index: 3);
        var cached = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [lookup, send], index: 4);

        Assert.Equal(ToolCallStatus.Denied, notGranted.Status);
        Assert.Equal(ToolCallStatus.InvalidArguments, badArguments.Status);
        Assert.Equal(ToolCallStatus.Denied, denied.Status);
        Assert.Contains("no approver", denied.Result);
        Assert.Equal((ToolCallStatus.Succeeded, "invoice INV-1 key=[redacted]", 3), (retried.Status, retried.Result, attempts));
        Assert.Equal((ToolCallStatus.Replayed, "invoice INV-1 key=[redacted]"), (cached.Status, cached.Result));
        // The user's step sees only calls that got past permission, arguments and approval.
        Assert.Equal(["mine>", "<mine", "mine>", "<mine"], recorder.Events);
        // The denial is the call's outcome in the ledger, so the resumed run replays it without asking again.
        Assert.Equal(ToolCallStatus.Denied, (await _workspace.Ledger.FindAsync("run-1/1/2", CancellationToken.None))!.Status);
        var audit = await _workspace.Audit.QueryAsync(new AuditQuery());
        Assert.Equal(5, audit.Count);
        Assert.Equal(3, audit.Single(e => e.Key == "run-1/1/3").Executions);
        Assert.DoesNotContain(audit, e => e.Result.Contains("sk-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pipeline_without_an_audit_step_writes_no_audit_and_one_without_resilience_still_returns_failures()
    {
        var tool = AIFunctionFactory.Create(string (string invoiceId) => throw new InvalidOperationException("ledger offline"), "lookup_invoice");
        var invoker = new ToolInvokerBuilder(Options()).UsePermissions().UseArgumentChecks().Build();

        var record = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool]);

        Assert.Equal(ToolCallStatus.Failed, record.Status);
        Assert.Contains("ledger offline", record.Result);
        Assert.Empty(await _workspace.Audit.QueryAsync(new AuditQuery()));
    }

    [Fact]
    public async Task A_request_a_users_step_keeps_after_its_call_ended_starts_afresh_when_used_again()
    {
        var runs = new List<string>();
        var a = AIFunctionFactory.Create((string id) => { runs.Add("a"); return "from a"; }, "lookup_a");
        var b = AIFunctionFactory.Create((string id) => { runs.Add("b"); return "from b"; }, "lookup_b");
        Keeper? keeper = null;
        var invoker = new ToolInvokerBuilder(Options())
            .UseAudit()
            .Use(inner => keeper = new Keeper(inner))
            .UsePermissions().UseArgumentChecks().UseResilience()
            .Build();

        await Call(invoker, "lookup_a", """{"id":"1"}""", [a, b]);
        var kept = keeper!.Kept!;
        await Call(invoker, "lookup_b", """{"id":"2"}""", [a, b], index: 1);
        // The state the kept request carried belonged to a call that ended; its object now serves other calls.
        var again = await keeper.Inner.InvokeAsync(kept, CancellationToken.None);

        Assert.Equal(("lookup_a", ToolCallStatus.Succeeded, "from a"), (again.Tool, again.Status, again.Result));
        Assert.Equal(["a", "b", "a"], runs);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task The_circuit_breaker_counts_each_attempt_of_a_retried_call_once(int minimumThroughput)
    {
        var attempts = 0;
        var tool = new ToolDescriptor { MaxRetries = 2 }.Attach(AIFunctionFactory.Create(string (string invoiceId) =>
        {
            attempts++;
            throw new TransientToolException("busy");
        }, "lookup_invoice"));
        var invoker = new GovernedToolInvoker(Options(new GovernedToolOptions { BreakerMinimumThroughput = minimumThroughput, BreakerFailureRatio = 0.5 }));

        var first = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool]);
        var second = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], index: 1);

        // The first call's three attempts open a breaker that needs three failures; one that needs four lets the second
        // call's first attempt through and opens after it. Counting an attempt twice, or not at all, would be one off.
        Assert.Equal(ToolCallStatus.Failed, first.Status);
        Assert.Contains("is unavailable", second.Result, StringComparison.Ordinal);
        Assert.Equal(minimumThroughput, attempts);
    }

    private sealed class Recorder
    {
        public List<string> Events { get; } = [];

        public void Add(string what)
        {
            lock (Events)
            {
                Events.Add(what);
            }
        }
    }

    // A user's step: says when a call passes in and out.
    private sealed class RecordingStep(IToolInvoker inner, Recorder recorder, string name) : DelegatingToolInvoker(inner)
    {
        public override async Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
        {
            recorder.Add(name + ">");
            var record = await base.InvokeAsync(request, cancellationToken);
            recorder.Add("<" + name);
            return record;
        }
    }

    // A user's step that keeps the first request it sees.
    private sealed class Keeper(IToolInvoker inner) : DelegatingToolInvoker(inner)
    {
        public ToolCallRequest? Kept { get; private set; }

        public override Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
        {
            Kept ??= request;
            return base.InvokeAsync(request, cancellationToken);
        }
    }

    // A user's step: interns may not call tools at all.
    private sealed class QuotaStep(IToolInvoker inner) : DelegatingToolInvoker(inner)
    {
        public override Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken) =>
            request.Context.Agent == "intern"
                ? Task.FromResult(new ToolCallRecord(request.Call.CallId, request.Call.Name, "{}", ToolCallStatus.Denied, ToolResults.Error("interns may not call tools."), TimeSpan.Zero))
                : base.InvokeAsync(request, cancellationToken);
    }
}
