using Cadre.Agents;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Workflows;

/// <summary>Orchestrator–workers: supervised calls, reassignment to a capable worker, escalation with the reason.</summary>
public sealed class SupervisorWorkflowTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly EventLog _events = new();

    public void Dispose() => _dir.Dispose();

    private static Agent Supervisor(params ScriptedReply[] replies) => new Agent("lead", new ScriptedChatClient(replies), "Plan and assign.").WithDescription("The lead");

    private static ScriptedReply Assign(string worker, string task) => ScriptedReply.Call("handoff", new { to = worker, note = task });

    private RunOptions Options(IEscalationHandler? escalation = null) => new() { Time = _time, Observer = _events, Escalation = escalation };

    [Fact]
    public async Task The_supervisor_assigns_a_task_the_worker_reports_and_the_supervisor_answers()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var worker = new ScriptedChatClient([ScriptedReply.Say("Refund of CH-2 issued.")]);
        var workflow = Workflow.Supervised(
            Supervisor(Assign("billing", "Refund the duplicate charge on INV-1."), ScriptedReply.Say("The duplicate charge was refunded.")),
            new Agent("billing", worker, "Do billing work."));

        var run = await workflow.RunAsync("john was charged twice", workspace, Options());

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("The duplicate charge was refunded.", run.Answer);
        Assert.Equal(["lead", "billing", "lead"], run.Steps.Select(s => s.Agent));
        Assert.Contains(worker.Requests[0], m => m.Role == ChatRole.System && m.Text.Contains("Refund the duplicate charge on INV-1.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_failed_worker_s_task_is_reassigned_to_another_capable_worker(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var workflow = Workflow.Supervised(
                Supervisor(Assign("billing-a", "Refund INV-1."), ScriptedReply.Say("Done by the backup.")),
                new Agent("billing-a", new ScriptedChatClient([ScriptedReply.Fail("model down", 503)]), "Billing."),
                new Agent("billing-b", new ScriptedChatClient([ScriptedReply.Say("Refunded INV-1.")]), "Billing."),
                new Agent("tech", new ScriptedChatClient([]), "Tech."))
            .Capable("billing-a", "billing")
            .Capable("billing-b", "billing");

        var run = await workflow.RunAsync("refund", workspace, Options());

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["lead", "billing-a", "billing-b", "lead"], run.Steps.Select(s => s.Agent));
        Assert.Contains("503", run.Steps[1].Error);
        var reassigned = Assert.Single(_events.Of<TaskReassigned>());
        Assert.Equal(("billing-a", "billing-b"), (reassigned.From, reassigned.To));
        Assert.True(reassigned.Reason.Contains("503 model down", StringComparison.Ordinal), reassigned.Reason);
        Assert.Single(_events.Of<StepFailed>());
    }

    [Fact]
    public async Task A_worker_that_takes_too_long_is_timed_out_and_its_task_reassigned()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var workflow = new SupervisorWorkflow(
                Supervisor(Assign("slow", "Look it up."), ScriptedReply.Say("Found it.")),
                [
                    new Agent("slow", new ScriptedChatClient([new ScriptedReply { Text = "late", Delay = TimeSpan.FromHours(1) }], time: _time), "Research."),
                    new Agent("fast", new ScriptedChatClient([ScriptedReply.Say("It is 42.")]), "Research."),
                ]) { AgentTimeout = TimeSpan.FromMinutes(1), HeartbeatInterval = TimeSpan.FromSeconds(20) }
            .Capable("slow", "research")
            .Capable("fast", "research");

        var run = await _time.DriveAsync(workflow.RunAsync("question", workspace, Options()), TimeSpan.FromSeconds(5));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Contains("did not finish within 00:01:00", run.Steps[1].Error);
        Assert.Equal("fast", run.Steps[2].Agent);
        var beats = _events.Of<AgentHeartbeat>().Where(b => b.Agent == "slow").ToList();
        Assert.True(beats.Count >= 2);
        Assert.True(beats[^1].Elapsed > beats[0].Elapsed);
    }

    [Fact]
    public async Task A_worker_that_shows_no_progress_is_stopped_while_one_that_reports_progress_is_not()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var progressTool = AIFunctionFactory.Create(async (CancellationToken token) =>
        {
            for (var page = 1; page <= 4; page++)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), _time, token);
                AgentContext.Current?.Progress?.Report($"page {page} of 4");
            }

            return "all pages read";
        }, "read_pages");
        var workflow = new SupervisorWorkflow(
                Supervisor(Assign("quiet", "Read the report."), ScriptedReply.Say("Read.")),
                [
                    new Agent("quiet", new ScriptedChatClient([new ScriptedReply { Text = "never", Delay = TimeSpan.FromMinutes(10) }], time: _time), "Read."),
                    new Agent("busy", new ScriptedChatClient([ScriptedReply.Call("read_pages", new { }), ScriptedReply.Say("Read all 4 pages.")]), "Read.").WithTools(progressTool),
                ]) { StallTimeout = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(10) }
            .Capable("quiet", "reading")
            .Capable("busy", "reading");

        var run = await _time.DriveAsync(workflow.RunAsync("read", workspace, Options()), TimeSpan.FromSeconds(1));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Contains("showed no progress", run.Steps[1].Error);
        Assert.Null(run.Steps[2].Error);
        Assert.Contains(_events.Of<AgentHeartbeat>(), b => b.Agent == "busy" && b.LastActivity is not null && b.LastActivity.StartsWith("page", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task When_no_capable_worker_is_left_the_run_escalates_with_the_reason_and_a_person_can_answer_on_resume(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        Escalation? asked = null;
        var recorder = EscalationHandlers.From((e, _) =>
        {
            asked = e;
            return Task.FromResult(EscalationOutcome.Recorded);
        });
        SupervisorWorkflow Build(params ScriptedReply[] lead) => Workflow.Supervised(
                Supervisor(lead),
                new Agent("billing-a", new ScriptedChatClient([ScriptedReply.Fail("down", 503)]), "Billing."),
                new Agent("billing-b", new ScriptedChatClient([ScriptedReply.Fail("bad request", 400)]), "Billing."))
            .Capable("billing-a", "billing")
            .Capable("billing-b", "billing");

        var run = await Build(Assign("billing-a", "Refund INV-1.")).RunAsync("refund", workspace, Options(recorder));

        Assert.Equal(RunStatus.Escalated, run.Status);
        Assert.True(asked!.Request.Critical);
        Assert.Contains("no capable worker could finish the task \"Refund INV-1.\"", asked.Request.Reason);
        Assert.Contains("billing-a: 503 down", asked.Request.Reason);
        Assert.Contains("billing-b: 400 bad request", asked.Request.Reason);
        Assert.Contains("escalated to a person (critical)", run.Error);
        Assert.NotNull((await workspace.Runs.GetCheckpointAsync(run.Id))!.State.Escalation);

        var person = EscalationHandlers.From((_, _) => Task.FromResult(EscalationOutcome.Answered("I refunded CH-2 by hand.", "ops")));
        var resumed = await Build(ScriptedReply.Say("A person refunded CH-2.")).ResumeAsync(run.Id, workspace, Options(person));

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal("A person refunded CH-2.", resumed.Answer);
        Assert.Equal(["lead", "billing-a", "billing-b", Workflow.PersonName, "lead"], resumed.Steps.Select(s => s.Agent));
        Assert.Equal(EscalationDecision.Answered, _events.Of<EscalationRaised>()[^1].Outcome.Decision);
    }

    [Fact]
    public async Task A_failing_supervisor_escalates_as_critical_and_a_retry_gives_it_another_go()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var asks = 0;
        var retryOnce = EscalationHandlers.From((e, _) => Task.FromResult(++asks == 1 ? EscalationOutcome.Retry : EscalationOutcome.Recorded));
        var workflow = Workflow.Supervised(
            Supervisor(ScriptedReply.Fail("unauthorized", 401), ScriptedReply.Say("Answered on the second go.")),
            new Agent("worker", new ScriptedChatClient([]), "Work."));

        var run = await workflow.RunAsync("task", workspace, Options(retryOnce));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1, asks);
        Assert.True(_events.Of<EscalationRaised>().Single().Request.Critical);
        Assert.Contains("the supervisor lead failed: 401 unauthorized", _events.Of<EscalationRaised>().Single().Request.Reason);
    }
}
