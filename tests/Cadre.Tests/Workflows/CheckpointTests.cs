using System.Text.Json;
using Cadre.Agents;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workflows;

namespace Cadre.Tests.Workflows;

/// <summary>What a checkpoint holds beyond the thread and the position: tool calls pending when a step was
/// interrupted, the levels that served, and the parts contributors add.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_step_interrupted_after_a_side_effect_lists_it_as_pending_and_resuming_does_not_repeat_it(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var sent = 0;
        var email = TestWorkspaces.SideEffect("send_email", () => $"queued #{++sent}");
        // The model asks for the email, then breaks before the step can finish (the script runs dry).
        var broken = new Agent("billing", new ScriptedChatClient([ScriptedReply.Call("send_email", new { })]), "Bill.").WithTools(email);

        var run = await Workflow.Sequential(broken).RunAsync("refund", workspace);

        Assert.Equal(RunStatus.Failed, run.Status);
        var checkpoint = await workspace.Runs.GetCheckpointAsync(run.Id);
        var pending = Assert.Single(checkpoint!.State.PendingToolCalls);
        Assert.Equal(($"{run.Id}/1/0", 1, "billing", "send_email"), (pending.Key, pending.Step, pending.Agent, pending.Tool));
        Assert.Equal(0, checkpoint.State.Step);

        var events = new EventLog();
        var healthy = new Agent("billing", new ScriptedChatClient([ScriptedReply.Call("send_email", new { }), ScriptedReply.Say("refunded and emailed")]), "Bill.").WithTools(email);
        var resumed = await Workflow.Sequential(healthy).ResumeAsync(run.Id, workspace, new RunOptions { Observer = events });

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(1, sent);
        Assert.Equal(ToolCallStatus.Replayed, resumed.Steps.Single().ToolCalls.Single().Status);
        Assert.Contains(events.Of<RunNotice>(), n => n.Text.Contains("after send_email", StringComparison.Ordinal) && n.Text.Contains("will not run again", StringComparison.Ordinal));
        Assert.Empty((await workspace.Runs.GetCheckpointAsync(run.Id))!.State.PendingToolCalls);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Each_step_records_the_level_that_served_it(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        using var chain = new DegradingChatClient(
        [
            new DegradationLevel("full", new ValidatingChatClient(new ScriptedChatClient([ScriptedReply.Say("full answer"), ScriptedReply.Say("")]))) { Model = "m:big" },
            new DegradationLevel("recorded", new ScriptedChatClient([ScriptedReply.Say("recorded answer")])) { Model = "replay:c" },
        ], new DegradationOptions { RecoveryInterval = TimeSpan.Zero });
        var workflow = Workflow.Sequential(new Agent("a", chain, "A."), new Agent("b", chain, "B."));

        var run = await workflow.RunAsync("go", workspace);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.True(run.IsDegraded);
        var steps = await workspace.Runs.GetStepsAsync(run.Id);
        Assert.Equal([new ServedLevel("full", 0, "m:big"), new ServedLevel("recorded", 1, "replay:c")], steps.Select(s => s.Level));
        Assert.Equal("recorded", run.Level!.Name);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Contributors_add_their_part_to_each_checkpoint_and_get_it_back_on_resume(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var counter = new StepCounter();
        var pipeline = Workflow.Sequential(
            new Agent("a", new ScriptedChatClient([ScriptedReply.Say("one")]), "A."),
            new Agent("b", new ScriptedChatClient([]), "B."));

        var run = await pipeline.RunAsync("go", workspace, new RunOptions { CheckpointContributors = [counter] });

        Assert.Equal(RunStatus.Failed, run.Status); // b's script is empty
        var saved = (await workspace.Runs.GetCheckpointAsync(run.Id))!.State.Extensions["counter"];
        Assert.Equal(1, saved.GetProperty("steps").GetInt32());

        var restored = new StepCounter();
        var fixedPipeline = Workflow.Sequential(
            new Agent("a", new ScriptedChatClient([]), "A."),
            new Agent("b", new ScriptedChatClient([ScriptedReply.Say("two")]), "B."));
        await fixedPipeline.ResumeAsync(run.Id, workspace, new RunOptions { CheckpointContributors = [restored] });

        Assert.Equal(1, restored.RestoredSteps);
        Assert.Equal(2, (await workspace.Runs.GetCheckpointAsync(run.Id))!.State.Extensions["counter"].GetProperty("steps").GetInt32());
    }

    private sealed class StepCounter : ICheckpointContributor
    {
        public string Name => "counter";

        public int? RestoredSteps { get; private set; }

        public ValueTask<JsonElement?> CaptureAsync(CheckpointContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { steps = context.Step }));

        public ValueTask RestoreAsync(CheckpointContext context, JsonElement? saved, CancellationToken cancellationToken)
        {
            RestoredSteps = saved?.GetProperty("steps").GetInt32();
            return ValueTask.CompletedTask;
        }
    }
}
