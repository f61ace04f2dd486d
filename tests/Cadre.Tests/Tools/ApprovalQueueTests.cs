using Cadre.Agents;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workflows;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>Approvals that wait for a person: the run stops as waiting, the request outlives the process, and the
/// decision made later is the one the resumed run acts on.</summary>
public sealed class ApprovalQueueTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _outbox = [];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_call_that_needs_approval_waits_in_the_workspace_and_runs_exactly_once_after_it_is_approved()
    {
        var model = Script();
        string runId;
        await using (var workspace = await SqliteWorkspace.OpenAsync(_dir.Path))
        {
            var run = await Workflow(model).RunAsync("mail john", workspace);
            runId = run.Id;

            Assert.Equal(RunStatus.WaitingForApproval, run.Status);
            Assert.Contains("send_email", run.Error);
            Assert.Empty(_outbox);
            Assert.Equal(RunStatus.WaitingForApproval, (await workspace.Runs.GetRunAsync(runId))?.Status);
        }

        // Another process decides.
        await using (var workspace = await SqliteWorkspace.OpenAsync(_dir.Path))
        {
            var pending = Assert.Single(await workspace.Approvals.ListAsync(ApprovalStatus.Pending));
            Assert.Equal(runId, pending.RunId);
            Assert.Equal("""{"to":"john@example.com"}""", pending.Arguments);
            await ApprovalQueue.ApproveOrDenyAsync(workspace.Approvals, workspace.Audit, pending.Id[..6], true, "alice", "checked the ticket", DateTimeOffset.UtcNow);
        }

        await using (var workspace = await SqliteWorkspace.OpenAsync(_dir.Path))
        {
            var resumed = await Workflow(model).ResumeAsync(runId, workspace);

            Assert.Equal(RunStatus.Completed, resumed.Status);
            Assert.Equal(["john@example.com"], _outbox);
            var call = resumed.Steps[^1].ToolCalls.Single(c => c.Tool == "send_email");
            Assert.Equal(ToolCallStatus.Succeeded, call.Status);
            var audit = await workspace.Audit.QueryAsync(new AuditQuery { RunId = runId, Tool = "send_email" });
            Assert.Contains(audit, e => e.Detail!.Contains("approved by alice: checked the ticket", StringComparison.Ordinal) && e.Status == ToolCallStatus.Succeeded);
            Assert.Contains(audit, e => e.Detail!.StartsWith("approval ap-", StringComparison.Ordinal) && e.Detail.Contains("approved by alice", StringComparison.Ordinal));

            // Resuming the finished run again changes nothing.
            await Workflow(model).ResumeAsync(runId, workspace);
            Assert.Single(_outbox);
        }
    }

    [Fact]
    public async Task A_denial_reaches_the_model_as_a_tool_error_with_the_persons_reason()
    {
        var model = Script();
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        var run = await Workflow(model).RunAsync("mail john", workspace);
        var pending = Assert.Single(await workspace.Approvals.ListAsync(ApprovalStatus.Pending));

        await ApprovalQueue.ApproveOrDenyAsync(workspace.Approvals, workspace.Audit, pending.Id, false, "bob", "wrong customer", DateTimeOffset.UtcNow);
        var resumed = await Workflow(model).ResumeAsync(run.Id, workspace);

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Empty(_outbox);
        var call = resumed.Steps[^1].ToolCalls.Single();
        Assert.Equal(ToolCallStatus.Denied, call.Status);
        Assert.Contains("wrong customer", call.Result);
        var toolMessage = model.Requests[^1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Contains("was not approved (bob: wrong customer)", toolMessage.Result?.ToString());
        var audit = await workspace.Audit.QueryAsync(new AuditQuery { RunId = run.Id, Status = ToolCallStatus.Denied });
        Assert.Contains(audit, e => e.Detail == $"approval {pending.Id} denied by bob: wrong customer");
    }

    [Fact]
    public async Task A_run_resumed_before_anyone_decided_still_has_its_one_pending_request()
    {
        var model = Script(extraAttempts: 1);
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        var run = await Workflow(model).RunAsync("mail john", workspace);
        var first = Assert.Single(await workspace.Approvals.ListAsync());

        var resumed = await Workflow(model).ResumeAsync(run.Id, workspace);

        Assert.Equal(RunStatus.WaitingForApproval, resumed.Status);
        Assert.Equal(first, Assert.Single(await workspace.Approvals.ListAsync()));
        Assert.Empty(_outbox);
    }

    [Fact]
    public async Task A_decision_is_made_once_and_a_denial_needs_a_reason()
    {
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        await Workflow(Script()).RunAsync("mail john", workspace);
        var pending = Assert.Single(await workspace.Approvals.ListAsync());

        await Assert.ThrowsAsync<ArgumentException>(() => ApprovalQueue.ApproveOrDenyAsync(workspace.Approvals, workspace.Audit, pending.Id, false, "bob", " ", DateTimeOffset.UtcNow));
        await ApprovalQueue.ApproveOrDenyAsync(workspace.Approvals, workspace.Audit, pending.Id, true, "alice", null, DateTimeOffset.UtcNow);
        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => ApprovalQueue.ApproveOrDenyAsync(workspace.Approvals, workspace.Audit, pending.Id, false, "bob", "no", DateTimeOffset.UtcNow));
        Assert.Contains("already approved by alice", twice.Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => ApprovalQueue.ApproveOrDenyAsync(workspace.Approvals, workspace.Audit, "ap-none", true, "alice", null, DateTimeOffset.UtcNow));
    }

    // The model asks to send the email on the first attempt and again when the step is repeated on resume.
    private static ScriptedChatClient Script(int extraAttempts = 0) => new([
        .. Enumerable.Repeat(ScriptedReply.Call("send_email", new { to = "john@example.com" }), 2 + extraAttempts),
        ScriptedReply.Say("Done.")]);

    private SequentialWorkflow Workflow(IChatClient model)
    {
        var send = new ToolDescriptor { RequiresApproval = true, SideEffects = SideEffects.Irreversible }.Attach(AIFunctionFactory.Create((string to) =>
        {
            _outbox.Add(to);
            return "sent";
        }, "send_email"));
        var invoker = new GovernedToolInvoker(new GovernedToolOptions { Approver = new ApprovalQueue() });
        return Cadre.Workflows.Workflow.Sequential(new Agent("billing", model, "Mail.").WithTools(send).WithToolInvoker(invoker));
    }
}
