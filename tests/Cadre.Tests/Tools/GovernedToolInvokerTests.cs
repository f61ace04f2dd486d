using Cadre.Agents;
using Cadre.Observability;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Tools;

/// <summary>Each step of the governed path alone, then together.</summary>
public sealed class GovernedToolInvokerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryWorkspace _workspace = new();
    private readonly List<RunEvent> _events = [];

    private AgentContext Context(string agent = "billing", int step = 1) =>
        ToolCalls.Run(agent, "run-1", step, _workspace, _time, RunObserver.From(e => { lock (_events) { _events.Add(e); } }));

    private GovernedToolInvoker Invoker(GovernedToolOptions? options = null) =>
        new((options ?? new GovernedToolOptions()) with { Time = _time, RetryDelay = TimeSpan.Zero });

    private static AIFunction Lookup(Func<string, string>? body = null) =>
        AIFunctionFactory.Create((string invoiceId, int count = 1) => (body ?? (id => $"invoice {id}"))(invoiceId), "lookup_invoice", "Look up an invoice.");

    private async Task<ToolCallRecord> Call(GovernedToolInvoker invoker, string tool, string json, IReadOnlyList<AIFunction> tools, string agent = "billing", int index = 0, int step = 1) =>
        await invoker.InvokeAsync(ToolCalls.Request(tool, json, tools, Context(agent, step), index), CancellationToken.None);

    public static TheoryData<string, string, ToolCallStatus, string> MalformedCalls => new()
    {
        { "lookup_invoice", """{"invoiceId": "INV-1", """, ToolCallStatus.InvalidArguments, "are not valid JSON" },
        { "lookup_invoice", """{"invoiceId": 1001}""", ToolCallStatus.InvalidArguments, "invoiceId: must be a string, not 1001. Fix them and call it again." },
        { "lookup_invoice", """{"invoiceId": "INV-1", "count": "two"}""", ToolCallStatus.InvalidArguments, "count: must be an integer, not a string ('two')" },
        { "lookup_invoice", """{}""", ToolCallStatus.InvalidArguments, "the required field 'invoiceId' is missing" },
        { "lookup_invoice", """{"invoiceId": "INV-1", "currency": "EUR"}""", ToolCallStatus.InvalidArguments, "unknown field 'currency'; its fields are invoiceId, count" },
        { "lookup_invoce", """{"invoiceId": "INV-1"}""", ToolCallStatus.UnknownTool, "there is no tool named 'lookup_invoce'. Available tools: lookup_invoice." },
        { "send_email", """{"to": "a@b.c"}""", ToolCallStatus.Denied, "agent 'billing' is not allowed to call 'send_email'" },
    };

    [Theory]
    [MemberData(nameof(MalformedCalls))]
    public async Task A_malformed_call_gets_an_error_that_says_what_to_fix_and_is_audited(string tool, string json, ToolCallStatus status, string message)
    {
        var ran = 0;
        var registry = new ToolRegistry().Add(AIFunctionFactory.Create((string to) => "sent", "send_email"));
        var invoker = Invoker(new GovernedToolOptions { Registry = registry });

        var record = await Call(invoker, tool, json, [Lookup(id => { ran++; return id; })]);

        Assert.Equal(status, record.Status);
        Assert.StartsWith("Error: ", record.Result);
        Assert.Contains(message, record.Result);
        Assert.Equal(0, ran);
        var entry = Assert.Single(await _workspace.Audit.QueryAsync(new AuditQuery()));
        Assert.Equal((tool, status, "billing", "run-1", "run-1/1/0"), (entry.Tool, entry.Status, entry.Agent, entry.RunId, entry.Key));
    }

    [Fact]
    public async Task A_good_call_runs_and_the_audit_says_who_called_what_with_which_arguments_and_how_long_it_took()
    {
        var invoker = Invoker();
        var tool = Lookup(id =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            return $"invoice {id} for {AgentContext.Current?.Agent}";
        });

        var record = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool]);

        Assert.Equal(ToolCallStatus.Succeeded, record.Status);
        Assert.Equal("invoice INV-1 for ", record.Result); // no agent scope here: the invoker is called directly
        var entry = Assert.Single(await _workspace.Audit.QueryAsync(new AuditQuery { Tool = "lookup_invoice" }));
        Assert.Equal("""{"invoiceId":"INV-1"}""", entry.Arguments);
        Assert.Equal(record.Result, entry.Result);
        Assert.Equal(TimeSpan.FromMilliseconds(250), entry.Duration);
        Assert.Equal(_time.GetUtcNow(), entry.At);
    }

    [Fact]
    public async Task Grants_by_category_let_an_agent_call_registered_tools_it_was_not_given()
    {
        var registry = new ToolRegistry().Add(Lookup(), t => t.Category("crm"));
        var invoker = Invoker(new GovernedToolOptions { Registry = registry, Permissions = new ToolPermissions().Grant("billing", "crm") });

        Assert.Equal(ToolCallStatus.Succeeded, (await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [], "billing")).Status);
        var denied = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [], "triage");
        Assert.Equal(ToolCallStatus.Denied, denied.Status);
        Assert.Equal("not granted", (await _workspace.Audit.QueryAsync(new AuditQuery { Agent = "triage" })).Single().Detail);
    }

    [Fact]
    public async Task An_approved_call_runs_and_the_approver_sees_the_Microsoft_Extensions_AI_request()
    {
        ToolApprovalRequestContent? seen = null;
        ToolApprovalContext? context = null;
        var invoker = Invoker(new GovernedToolOptions
        {
            Approver = new CallbackApprover((request, c, _) =>
            {
                seen = request;
                context = c;
                return ValueTask.FromResult(ToolApprovals.Approve(request, "reviewer", "looks right"));
            }),
        });
        var send = new ToolDescriptor { SideEffects = SideEffects.Irreversible, RequiresApproval = true }.Attach(AIFunctionFactory.Create((string to) => $"sent to {to}", "send_email"));

        var record = await Call(invoker, "send_email", """{"to":"john@example.com"}""", [send]);

        Assert.Equal(ToolCallStatus.Succeeded, record.Status);
        Assert.Equal("send_email", ((FunctionCallContent)seen!.ToolCall).Name);
        Assert.Equal("call_1", seen.RequestId);
        Assert.Equal("""{"to":"john@example.com"}""", context!.Arguments);
        Assert.Equal(SideEffects.Irreversible, context.Descriptor.SideEffects);
        Assert.Equal("approved by reviewer: looks right", (await _workspace.Audit.QueryAsync(new AuditQuery())).Single().Detail);
        var decided = Assert.Single(_events.OfType<ToolApprovalDecided>());
        Assert.True(decided.Approved);
    }

    [Fact]
    public async Task A_denied_call_does_not_run_and_an_escalated_denial_says_a_person_will_follow_up()
    {
        var sent = 0;
        var send = new ToolDescriptor { RequiresApproval = true }.Attach(AIFunctionFactory.Create((string to) => { sent++; return "sent"; }, "send_email"));
        var deny = Invoker(new GovernedToolOptions { Approver = new CallbackApprover(c => false, "reviewer") });
        var escalate = Invoker(new GovernedToolOptions
        {
            Approver = new CallbackApprover((request, _, _) => ValueTask.FromResult(ToolApprovals.Deny(request, "policy", "refunds over 100 USD", escalate: true))),
        });

        var denied = await Call(deny, "send_email", """{"to":"a@b.c"}""", [send]);
        var escalated = await Call(escalate, "send_email", """{"to":"a@b.c"}""", [send], index: 1);

        Assert.Equal(0, sent);
        Assert.Equal(ToolCallStatus.Denied, denied.Status);
        Assert.Contains("was not approved (reviewer)", denied.Result);
        Assert.Contains("Do not call it again", denied.Result);
        Assert.Equal(ToolCallStatus.Denied, escalated.Status);
        Assert.Contains("(policy: refunds over 100 USD)", escalated.Result);
        Assert.Contains("escalated to a person", escalated.Result);
        Assert.Equal(["denied by reviewer", "denied and escalated by policy: refunds over 100 USD"],
            (await _workspace.Audit.QueryAsync(new AuditQuery { Status = ToolCallStatus.Denied })).Select(e => e.Detail));
        Assert.True(_events.OfType<ToolApprovalDecided>().Last().Escalated);
    }

    [Fact]
    public async Task With_no_approver_a_call_that_needs_approval_is_denied_and_the_model_is_told_why()
    {
        var send = new ToolDescriptor { RequiresApproval = true }.Attach(AIFunctionFactory.Create((string to) => "sent", "send_email"));

        var record = await Call(Invoker(), "send_email", """{"to":"a@b.c"}""", [send]);

        Assert.Equal(ToolCallStatus.Denied, record.Status);
        Assert.Contains("no approver: no approver is configured for this run", record.Result);
    }

    [Fact]
    public async Task The_ledger_keeps_a_side_effect_from_happening_twice_and_a_replay_asks_no_approval()
    {
        var sent = 0;
        var approvals = 0;
        var send = new ToolDescriptor { SideEffects = SideEffects.Irreversible, RequiresApproval = true }
            .Attach(AIFunctionFactory.Create((string to) => $"message {++sent} to {to}", "send_email"));
        var invoker = Invoker(new GovernedToolOptions { Approver = new CallbackApprover(_ => { approvals++; return true; }) });

        var first = await Call(invoker, "send_email", """{"to":"a@b.c"}""", [send]);
        var replay = await Call(Invoker(new GovernedToolOptions { Approver = new CallbackApprover(_ => { approvals++; return false; }) }), "send_email", """{"to":"a@b.c"}""", [send]);
        var nextCall = await Call(invoker, "send_email", """{"to":"a@b.c"}""", [send], index: 1);

        Assert.Equal((ToolCallStatus.Succeeded, "message 1 to a@b.c"), (first.Status, first.Result));
        Assert.Equal((ToolCallStatus.Replayed, "message 1 to a@b.c"), (replay.Status, replay.Result));
        Assert.Equal((ToolCallStatus.Succeeded, "message 2 to a@b.c"), (nextCall.Status, nextCall.Result));
        Assert.Equal(2, sent);
        Assert.Equal(2, approvals);
        Assert.Equal("replayed from the ledger", (await _workspace.Audit.QueryAsync(new AuditQuery { Status = ToolCallStatus.Replayed })).Single().Detail);
    }

    [Fact]
    public async Task Results_of_deterministic_tools_are_cached_by_arguments_for_their_ttl()
    {
        var runs = 0;
        var tool = new ToolDescriptor { CacheTtl = TimeSpan.FromMinutes(5) }.Attach(Lookup(id => $"{id} #{++runs}"));
        var invoker = Invoker();

        var a = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1","count":2}""", [tool]);
        var b = await Call(invoker, "lookup_invoice", """{"count":2,"invoiceId":"INV-1"}""", [tool], index: 1);
        var other = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-2","count":2}""", [tool], index: 2);
        _time.Advance(TimeSpan.FromMinutes(5));
        var expired = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1","count":2}""", [tool], index: 3);

        Assert.Equal([("INV-1 #1", ToolCallStatus.Succeeded), ("INV-1 #1", ToolCallStatus.Replayed), ("INV-2 #2", ToolCallStatus.Succeeded), ("INV-1 #3", ToolCallStatus.Succeeded)],
            new[] { a, b, other, expired }.Select(r => (r.Result, r.Status)));
        Assert.Equal("cache", (await _workspace.Audit.QueryAsync(new AuditQuery { Status = ToolCallStatus.Replayed })).Single().Detail);
    }

    [Fact]
    public async Task A_rate_limit_per_tool_refuses_calls_over_the_limit_until_the_window_passes()
    {
        var tool = new ToolDescriptor { RateLimit = new ToolRateLimit(2, TimeSpan.FromMinutes(1)) }.Attach(Lookup());
        var invoker = Invoker();

        var results = new List<ToolCallRecord>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], i % 2 == 0 ? "billing" : "triage", i));
        }

        _time.Advance(TimeSpan.FromSeconds(59));
        results.Add(await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], index: 3));
        _time.Advance(TimeSpan.FromSeconds(1));
        results.Add(await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], index: 4));

        Assert.Equal([ToolCallStatus.Succeeded, ToolCallStatus.Succeeded, ToolCallStatus.Failed, ToolCallStatus.Failed, ToolCallStatus.Succeeded], results.Select(r => r.Status));
        Assert.Contains("'lookup_invoice' is called too often (at most 2 per minute for everyone). Try again in 60s.", results[2].Result);
        Assert.Contains("Try again in 1s.", results[3].Result);
    }

    [Fact]
    public async Task A_rate_limit_per_agent_counts_each_agent_on_its_own()
    {
        var tool = new ToolDescriptor { RateLimitPerAgent = new ToolRateLimit(1, TimeSpan.FromSeconds(10)) }.Attach(Lookup());
        var invoker = Invoker();

        var billing = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], "billing", 0);
        var triage = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], "triage", 1);
        var billingAgain = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], "billing", 2);
        _time.Advance(TimeSpan.FromSeconds(10));
        var later = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], "billing", 3);

        Assert.Equal([ToolCallStatus.Succeeded, ToolCallStatus.Succeeded, ToolCallStatus.Failed, ToolCallStatus.Succeeded], new[] { billing, triage, billingAgain, later }.Select(r => r.Status));
        Assert.Contains("at most 1 per 10 seconds for each agent", billingAgain.Result);
    }

    [Fact]
    public async Task An_exclusive_tool_is_held_by_one_caller_at_a_time()
    {
        var inside = 0;
        var most = 0;
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource()).ToArray();
        var entered = new SemaphoreSlim(0);
        var call = 0;
        var tool = new ToolDescriptor { Exclusive = true }.Attach(AIFunctionFactory.Create(async (string invoiceId) =>
        {
            var mine = Interlocked.Increment(ref call) - 1;
            most = Math.Max(most, Interlocked.Increment(ref inside));
            entered.Release();
            await gates[mine].Task;
            Interlocked.Decrement(ref inside);
            return invoiceId;
        }, "lookup_invoice"));
        var invoker = Invoker();

        var calls = Enumerable.Range(0, 3).Select(i => Task.Run(() => Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], index: i))).ToList();
        for (var i = 0; i < 3; i++)
        {
            await entered.WaitAsync(TimeSpan.FromSeconds(10)); // the next caller got in...
            Assert.Equal(1, Volatile.Read(ref inside));        // ...alone
            gates[i].SetResult();
        }

        Assert.All(await Task.WhenAll(calls), r => Assert.Equal(ToolCallStatus.Succeeded, r.Status));
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task A_call_that_takes_too_long_times_out_with_a_clear_error()
    {
        var started = new TaskCompletionSource();
        var tool = new ToolDescriptor { Timeout = TimeSpan.FromSeconds(5), MaxRetries = 0 }.Attach(AIFunctionFactory.Create(async (string invoiceId, CancellationToken ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return "never";
        }, "lookup_invoice"));
        var invoker = Invoker();

        var call = Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool]);
        await started.Task;
        _time.Advance(TimeSpan.FromSeconds(5));
        var record = await call;

        Assert.Equal(ToolCallStatus.Failed, record.Status);
        Assert.Contains("'lookup_invoice' did not finish within 5s and was abandoned", record.Result);
        Assert.Equal("timed out", (await _workspace.Audit.QueryAsync(new AuditQuery())).Single().Detail);
    }

    [Fact]
    public async Task Transient_failures_of_a_tool_that_is_safe_to_repeat_are_retried()
    {
        var attempts = 0;
        var tool = Lookup(id => ++attempts < 3 ? throw new TransientToolException("service busy") : $"invoice {id}");

        var record = await Call(Invoker(), "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool]);

        Assert.Equal((ToolCallStatus.Succeeded, 3), (record.Status, attempts));
    }

    [Fact]
    public async Task A_side_effect_that_is_not_idempotent_is_not_retried_and_other_failures_are_never_retried()
    {
        var sends = 0;
        var send = new ToolDescriptor { SideEffects = SideEffects.Irreversible }.Attach(AIFunctionFactory.Create((string to) => { sends++; throw new TransientToolException("relay busy"); }, "send_email"));
        var bugs = 0;
        var buggy = Lookup(_ => { bugs++; throw new InvalidOperationException("bug"); });

        var sent = await Call(Invoker(), "send_email", """{"to":"a@b.c"}""", [send]);
        var failed = await Call(Invoker(), "lookup_invoice", """{"invoiceId":"INV-1"}""", [buggy], index: 1);

        Assert.Equal((ToolCallStatus.Failed, 1), (sent.Status, sends));
        Assert.Contains("'send_email' failed: relay busy", sent.Result);
        Assert.Equal((ToolCallStatus.Failed, 1), (failed.Status, bugs));
        Assert.Equal("Error: 'lookup_invoice' failed: bug", failed.Result);
    }

    [Fact]
    public async Task A_tool_that_keeps_failing_has_its_circuit_opened_then_tried_again_after_the_break()
    {
        var attempts = 0;
        var healthy = false;
        var tool = new ToolDescriptor { MaxRetries = 0 }.Attach(Lookup(id => { attempts++; return healthy ? id : throw new HttpRequestException("503"); }));
        var invoker = Invoker(new GovernedToolOptions { BreakerMinimumThroughput = 2, BreakerFailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(30) });

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(ToolCallStatus.Failed, (await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], index: i)).Status);
        }

        var open = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], index: 2);
        healthy = true;
        _time.Advance(TimeSpan.FromSeconds(31));
        var closed = await Call(invoker, "lookup_invoice", """{"invoiceId":"INV-1"}""", [tool], index: 3);

        Assert.Equal(2 + 1, attempts);
        Assert.Contains("'lookup_invoice' is unavailable: it failed repeatedly and is paused", open.Result);
        Assert.Equal(ToolCallStatus.Succeeded, closed.Status);
    }

    [Fact]
    public async Task When_a_tool_fails_for_a_passing_reason_an_alternative_with_the_same_capability_answers()
    {
        var primary = new ToolDescriptor { Capability = "geocode", MaxRetries = 0 }.Attach(AIFunctionFactory.Create(string (string address) => throw new TransientToolException("quota exceeded"), "geocode"));
        var backup = AIFunctionFactory.Create((string address) => $"52.52,13.40 for {address}", "geocode_backup");
        var differentArguments = AIFunctionFactory.Create((double lat, double lon) => "no", "reverse_geocode");
        var registry = new ToolRegistry()
            .Add(differentArguments, t => t.Capability("geocode"))
            .Add(backup, t => t.Capability("geocode"));
        var invoker = Invoker(new GovernedToolOptions { Registry = registry, Permissions = new ToolPermissions().Grant("billing", "*") });

        var record = await Call(invoker, "geocode", """{"address":"Unter den Linden 1"}""", [primary]);

        Assert.Equal(ToolCallStatus.Succeeded, record.Status);
        Assert.Equal("geocode", record.Tool);
        Assert.Equal("52.52,13.40 for Unter den Linden 1", record.Result);
        Assert.Equal("served by 'geocode_backup' after 'geocode' failed: transient failure: quota exceeded", (await _workspace.Audit.QueryAsync(new AuditQuery())).Single().Detail);

        var notPermitted = Invoker(new GovernedToolOptions { Registry = registry });
        Assert.Equal(ToolCallStatus.Failed, (await Call(notPermitted, "geocode", """{"address":"x"}""", [primary], index: 1)).Status);
    }

    [Fact]
    public async Task All_steps_together_in_order_for_one_tool()
    {
        var order = new List<string>();
        var tool = new ToolDescriptor
        {
            Category = "email", SideEffects = SideEffects.Irreversible, RequiresApproval = true, Exclusive = true,
            RateLimit = new ToolRateLimit(5, TimeSpan.FromMinutes(1)), Timeout = TimeSpan.FromSeconds(30),
        }.Attach(AIFunctionFactory.Create((string to) => { order.Add("run"); return $"sent to {to}"; }, "send_email"));
        var invoker = Invoker(new GovernedToolOptions
        {
            Permissions = new ToolPermissions().Grant("billing", "email").Grant("triage", "crm"),
            Approver = new CallbackApprover(c => { order.Add("approve"); return c.Caller.Agent == "billing"; }),
        });

        var bad = await Call(invoker, "send_email", """{"to":7}""", [tool]);
        var denied = await Call(invoker, "send_email", """{"to":"a@b.c"}""", [tool], "triage", 1);
        var ok = await Call(invoker, "send_email", """{"to":"a@b.c"}""", [tool], "billing", 2);
        var again = await Call(invoker, "send_email", """{"to":"a@b.c"}""", [tool], "billing", 2);

        Assert.Equal([ToolCallStatus.InvalidArguments, ToolCallStatus.Denied, ToolCallStatus.Succeeded, ToolCallStatus.Replayed], new[] { bad, denied, ok, again }.Select(r => r.Status));
        Assert.Equal(["approve", "run"], order); // no approval for the invalid call, none for the ungranted one, none for the replay
        Assert.Equal(["schema", "not granted", "approved by callback", "replayed from the ledger"], (await _workspace.Audit.QueryAsync(new AuditQuery())).Select(e => e.Detail));
        Assert.Single(await _workspace.Ledger.FindAsync("run-1/1/2") is { } entry ? [entry] : Array.Empty<ToolLedgerEntry>());
    }

    [Fact]
    public async Task Cancelling_a_call_cancels_the_tool_and_is_audited()
    {
        var started = new TaskCompletionSource();
        var tool = AIFunctionFactory.Create(async (string invoiceId, CancellationToken ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return "never";
        }, "lookup_invoice");
        using var cts = new CancellationTokenSource();

        var call = Invoker(new GovernedToolOptions { DefaultTimeout = null }).InvokeAsync(ToolCalls.Request("lookup_invoice", """{"invoiceId":"x"}""", [tool], Context()), cts.Token);
        await started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal("cancelled", (await _workspace.Audit.QueryAsync(new AuditQuery())).Single().Detail);
    }

    private sealed class BrokenAudit : IAuditLog
    {
        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new IOException("disk full");
    }

    private sealed class BrokenJobs : IToolJobStore
    {
        public Task<ToolJob> AddAsync(ToolJob job, CancellationToken cancellationToken = default) => throw new InvalidOperationException("the job store is read-only");

        public Task UpdateAsync(ToolJob job, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<ToolJob?> FindAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult<ToolJob?>(null);

        public Task<IReadOnlyList<ToolJob>> ListAsync(string runId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<ToolJob>>([]);
    }

    [Fact]
    public async Task An_approver_that_fails_has_not_approved()
    {
        var sent = 0;
        var send = new ToolDescriptor { RequiresApproval = true }.Attach(AIFunctionFactory.Create((string to) => { sent++; return "sent"; }, "send_email"));
        var invoker = Invoker(new GovernedToolOptions { Approver = new CallbackApprover((_, _, _) => throw new InvalidOperationException("policy service down")) });

        var record = await Call(invoker, "send_email", """{"to":"a@b.c"}""", [send]);

        Assert.Equal((ToolCallStatus.Denied, 0), (record.Status, sent));
        Assert.Contains("the approver failed (policy service down)", record.Result);
    }

    [Fact]
    public async Task A_failing_audit_log_does_not_undo_the_call_and_the_host_is_told()
    {
        var record = await Call(Invoker(new GovernedToolOptions { Audit = new BrokenAudit() }), "lookup_invoice", """{"invoiceId":"INV-1"}""", [Lookup()]);

        Assert.Equal(ToolCallStatus.Succeeded, record.Status);
        Assert.Contains("the audit entry of lookup_invoice (run-1/1/0) could not be written: disk full", _events.OfType<RunNotice>().Single().Text);
    }

    [Fact]
    public async Task A_failure_of_the_path_itself_becomes_a_tool_error_not_an_exception()
    {
        var job = new ToolDescriptor { LongRunning = true }.Attach(Lookup());

        var record = await Call(Invoker(new GovernedToolOptions { Jobs = new BrokenJobs() }), "lookup_invoice", """{"invoiceId":"INV-1"}""", [job]);

        Assert.Equal(ToolCallStatus.Failed, record.Status);
        Assert.Contains("the call to 'lookup_invoice' could not be completed: the job store is read-only", record.Result);
        Assert.StartsWith("the governed path failed: InvalidOperationException", (await _workspace.Audit.QueryAsync(new AuditQuery())).Single().Detail);
    }
}
