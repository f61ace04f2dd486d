using Cadre.Agents;
using Cadre.Observability;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Workflows;

public sealed class WorkflowTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_pipeline_runs_each_agent_once_in_order_and_answers_with_the_last()
    {
        var model = new ScriptedChatClient([
            new ScriptedReply { Agent = "researcher", Text = "Facts: INV-1001 was charged twice." },
            new ScriptedReply { Agent = "writer", Text = "Dear John, we refund the duplicate charge." },
        ]);
        var researcher = new Agent("researcher", model, "Find facts.");
        var writer = new Agent("writer", model, "Write to the customer.");
        await using var workspace = new InMemoryWorkspace();

        var run = await Workflow.Sequential(researcher, writer).RunAsync("Reply to John", workspace);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("Dear John, we refund the duplicate charge.", run.Answer);
        Assert.Equal(["researcher", "writer"], run.Steps.Select(s => s.Agent));
        // The writer sees what the researcher said, as a message from the researcher.
        var writerView = model.Requests[1];
        Assert.Contains(writerView, m => m.Role == ChatRole.User && m.Text == "[researcher] Facts: INV-1001 was charged twice.");
    }

    [Fact]
    public async Task A_handoff_moves_the_thread_with_the_note_and_the_specialist_answers()
    {
        var model = new ScriptedChatClient([
            new ScriptedReply { Agent = "triage", ToolCalls = [ScriptedToolCall.With(Agent.HandoffToolName, new { to = "billing", note = "John, double charge on INV-1001" })] },
            new ScriptedReply { Agent = "billing", Text = "Refund issued." },
        ]);
        var triage = new Agent("triage", model, "Route.");
        var billing = new Agent("billing", model, "Billing.").WithDescription("Billing problems");
        var events = new List<RunEvent>();
        await using var workspace = new InMemoryWorkspace();

        var run = await Workflow.Handoff(triage, billing).RunAsync("charged twice", workspace, new RunOptions { Observer = RunObserver.From(events.Add) });

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("Refund issued.", run.Answer);
        Assert.Equal(new Handoff("billing", "John, double charge on INV-1001"), run.Steps[0].Handoff);
        var billingRequest = model.Requests[1];
        Assert.Contains(billingRequest, m => m.Role == ChatRole.System && m.Text == "triage handed this conversation to you. Their note: John, double charge on INV-1001");
        var handoffTool = Assert.Single(events.OfType<HandedOff>());
        Assert.Equal(("triage", "billing"), (handoffTool.From, handoffTool.To));
        Assert.Equal([typeof(RunStarted), typeof(AgentStepStarted), typeof(StepCompleted), typeof(HandedOff), typeof(AgentStepStarted), typeof(StepCompleted), typeof(RunFinished)],
            events.Select(e => e.GetType()));
    }

    [Fact]
    public async Task Routes_limit_whom_an_agent_may_hand_off_to()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("done")]);
        var a = new Agent("a", model, "x");
        var b = new Agent("b", model, "x");
        var c = new Agent("c", model, "x");
        await using var workspace = new InMemoryWorkspace();

        await Workflow.Handoff(a, b, c).Route("a", "c").RunAsync("t", workspace);

        var handoff = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(model.Options[0]!.Tools!));
        Assert.Equal(Agent.HandoffToolName, handoff.Name);
        Assert.Equal(["c"], handoff.JsonSchema.GetProperty("properties").GetProperty("to").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Throws<ArgumentException>(() => Workflow.Handoff(a, b).Route("a", "zed"));
    }

    [Fact]
    public async Task Agents_that_hand_the_thread_back_and_forth_hit_the_handoff_limit_and_the_run_fails_with_the_reason()
    {
        var replies = Enumerable.Range(0, 10).Select(i => ScriptedReply.Call(Agent.HandoffToolName, new { to = i % 2 == 0 ? "b" : "a", note = "yours" }));
        var model = new ScriptedChatClient(replies);
        await using var workspace = new InMemoryWorkspace();
        var workflow = new HandoffWorkflow(new Agent("a", model, "x"), [new Agent("b", model, "x")]) { MaxHandoffs = 3 };

        var run = await workflow.RunAsync("ping-pong", workspace);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("The run reached its limit of 3 handoffs (b tried to hand off to a).", run.Error);
        Assert.Equal(3, run.Steps.Count);
    }

    [Fact]
    public async Task A_run_has_a_step_limit()
    {
        var model = new ScriptedChatClient(Enumerable.Range(0, 5).Select(i => ScriptedReply.Say($"step {i}")));
        await using var workspace = new InMemoryWorkspace();
        var agents = Enumerable.Range(0, 5).Select(i => new Agent($"a{i}", model, "x")).ToList();

        var run = await Workflow.Sequential(agents).RunAsync("t", workspace, new RunOptions { MaxSteps = 2 });

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("The run reached its limit of 2 steps without an answer.", run.Error);
    }

    [Fact]
    public async Task Every_step_is_recorded_in_the_sqlite_workspace_with_messages_tool_calls_usage_and_the_checkpoint()
    {
        var lookup = AIFunctionFactory.Create((string id) => $"{id}: paid twice", "lookup_invoice");
        var model = new ScriptedChatClient([
            ScriptedReply.Call(Agent.HandoffToolName, new { to = "billing", note = "double charge" }),
            ScriptedReply.Call("lookup_invoice", new { id = "INV-1001" }),
            ScriptedReply.Say("Refunding the second charge."),
        ]);
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        var workflow = Workflow.Handoff(new Agent("triage", model, "x"), new Agent("billing", model, "y").WithTools(lookup));

        var run = await workflow.RunAsync("charged twice", workspace, new RunOptions { Metadata = new Dictionary<string, string> { ["spec"] = "desk" } });

        await using var reopened = await SqliteWorkspace.OpenAsync(_dir.Path);
        var record = await reopened.Runs.GetRunAsync(run.Id);
        Assert.NotNull(record);
        Assert.Equal((RunStatus.Completed, "Refunding the second charge.", 2, "handoff", "charged twice", "desk"),
            (record.Status, record.Answer, record.Steps, record.Workflow, record.Task, record.Metadata["spec"]));
        Assert.NotNull(record.EndedAt);
        Assert.Equal(run.Usage, record.Usage);
        var steps = await reopened.Runs.GetStepsAsync(run.Id);
        Assert.Equal(["triage", "billing"], steps.Select(s => s.Agent));
        Assert.Equal("billing", steps[0].Handoff?.To);
        var call = Assert.Single(steps[1].ToolCalls);
        Assert.Equal(("lookup_invoice", """{"id":"INV-1001"}""", "INV-1001: paid twice", ToolCallStatus.Succeeded), (call.Tool, call.Arguments, call.Result, call.Status));
        Assert.Equal(run.Steps[1].Messages.Count, steps[1].Messages.Count);
        Assert.Equal("Refunding the second charge.", steps[1].Messages[^1].Text);
        Assert.Equal("billing", steps[1].Messages[^1].AuthorName);
        var thread = await reopened.Conversations.LoadAsync(run.Id);
        Assert.Equal("charged twice", thread[0].Text);
        Assert.Equal(1 + steps.Sum(s => s.Messages.Count), thread.Count);
        var checkpoint = await reopened.Runs.GetCheckpointAsync(run.Id);
        Assert.Equal((2, true, "Refunding the second charge."), (checkpoint!.State.Step, checkpoint.State.IsFinished, checkpoint.State.Answer));
    }

    [Fact]
    public async Task A_cancelled_run_is_recorded_as_cancelled_and_resumes_from_its_last_completed_step()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var first = new ScriptedChatClient([new ScriptedReply { Text = "Facts gathered." }, new ScriptedReply { Text = "never", Delay = TimeSpan.FromHours(1) }], time: time);
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        var workflow = Workflow.Sequential(new Agent("researcher", first, "x"), new Agent("writer", first, "y"));
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource<string>();
        var observer = RunObserver.From(e =>
        {
            if (e is AgentStepStarted { Step: 2 })
            {
                started.TrySetResult(e.RunId);
            }
        });

        var running = workflow.RunAsync("write to John", workspace, new RunOptions { Observer = observer, Time = time }, cts.Token);
        var runId = await started.Task;
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(RunStatus.Cancelled, (await workspace.Runs.GetRunAsync(runId))!.Status);

        var second = new ScriptedChatClient([new ScriptedReply { Agent = "writer", Text = "Dear John." }]);
        var resumedWorkflow = Workflow.Sequential(new Agent("researcher", second, "x"), new Agent("writer", second, "y"));
        var resumed = await resumedWorkflow.ResumeAsync(runId, workspace);

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal("Dear John.", resumed.Answer);
        Assert.Equal(["researcher", "writer"], resumed.Steps.Select(s => s.Agent));
        Assert.Single(second.Requests); // only the writer's step ran again
        Assert.Contains(second.Requests[0], m => m.Text == "[researcher] Facts gathered.");
        var again = await resumedWorkflow.ResumeAsync(runId, workspace);
        Assert.Equal((RunStatus.Completed, "Dear John."), (again.Status, again.Answer));
    }

    [Fact]
    public async Task Resuming_a_run_replays_a_side_effect_from_the_ledger_instead_of_repeating_it()
    {
        var sent = new List<string>();
        var send = AIFunctionFactory.Create((string to) => { sent.Add(to); return $"sent to {to}"; }, new AIFunctionFactoryOptions
        {
            Name = "send_email",
            AdditionalProperties = new Dictionary<string, object?> { [ToolNames.SideEffectsKey] = SideEffects.Irreversible },
        });
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        // The first attempt sends the email, then its model fails before the step completes (a crash).
        var crashing = new ScriptedChatClient([ScriptedReply.Call("send_email", new { to = "john@example.com" }), ScriptedReply.Fail("connection reset")]);
        var run = await Workflow.Sequential(new Agent("mailer", crashing, "x").WithTools(send)).RunAsync("email John", workspace);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(["john@example.com"], sent);

        var healthy = new ScriptedChatClient([ScriptedReply.Call("send_email", new { to = "john@example.com" }), ScriptedReply.Say("Emailed John.")]);
        var resumed = await Workflow.Sequential(new Agent("mailer", healthy, "x").WithTools(send)).ResumeAsync(run.Id, workspace);

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(["john@example.com"], sent);
        var call = Assert.Single(resumed.Steps[0].ToolCalls);
        Assert.Equal((ToolCallStatus.Replayed, "sent to john@example.com"), (call.Status, call.Result));
    }

    [Fact]
    public async Task Resuming_with_another_kind_of_workflow_or_an_unknown_run_is_refused()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say("x")]);
        await using var workspace = new InMemoryWorkspace();
        var run = await Workflow.Sequential(new Agent("a", model, "x")).RunAsync("t", workspace);

        var wrongKind = await Assert.ThrowsAsync<InvalidOperationException>(() => Workflow.Handoff(new Agent("a", model, "x")).ResumeAsync(run.Id, workspace));
        Assert.Equal($"Run '{run.Id}' is a sequential run; it cannot be resumed by a handoff workflow.", wrongKind.Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Workflow.Sequential(new Agent("a", model, "x")).ResumeAsync("r000000-000000-0000", workspace));
    }

    [Fact]
    public void Workflows_need_uniquely_named_agents()
    {
        var model = new ScriptedChatClient([]);
        var error = Assert.Throws<ArgumentException>(() => Workflow.Sequential(new Agent("a", model, "x"), new Agent("a", model, "y")));
        Assert.StartsWith("Two agents are named 'a'", error.Message, StringComparison.Ordinal);
    }
}
