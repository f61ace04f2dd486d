using Cadre.Agents;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Workflows;

/// <summary>Budgets: at a cap a run stops cleanly with its checkpoint and a clear reason, and can be resumed.</summary>
public sealed class BudgetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SequentialWorkflow Pipeline(FakeTimeProvider? time = null, TimeSpan? secondDelay = null) => Workflow.Sequential(
        new Agent("a", new ScriptedChatClient([ScriptedReply.Say("first")]), "Step one."),
        new Agent("b", new ScriptedChatClient([new ScriptedReply { Text = "second", Delay = secondDelay ?? TimeSpan.Zero }], time: time), "Step two."),
        new Agent("c", new ScriptedChatClient([ScriptedReply.Say("third")]), "Step three."));

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task At_the_token_cap_the_run_stops_after_its_last_checkpoint_and_resumes_with_a_larger_budget(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var workflow = Pipeline();

        var run = await workflow.RunAsync("do it", workspace, new RunOptions { Budget = new RunBudget { MaxTokens = 1 } });

        Assert.Equal(RunStatus.Stopped, run.Status);
        Assert.Contains("token budget", run.Error);
        Assert.Contains("checkpoint after step 1", run.Error);
        Assert.Single(run.Steps);
        var checkpoint = await workspace.Runs.GetCheckpointAsync(run.Id);
        Assert.Equal((1, "b"), (checkpoint!.State.Step, checkpoint.State.NextAgent));
        Assert.Equal(RunStatus.Stopped, checkpoint.Run.Status);

        var resumed = await workflow.ResumeAsync(run.Id, workspace);

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal("third", resumed.Answer);
        Assert.Equal(["a", "b", "c"], resumed.Steps.Select(s => s.Agent));
    }

    [Fact]
    public async Task At_the_step_cap_the_run_stops_cleanly()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);

        var run = await Pipeline().RunAsync("do it", workspace, new RunOptions { Budget = new RunBudget { MaxSteps = 2 } });

        Assert.Equal(RunStatus.Stopped, run.Status);
        Assert.Contains("budget of 2 steps", run.Error);
        Assert.Equal(2, run.Steps.Count);
    }

    [Fact]
    public async Task At_the_cost_cap_the_run_stops_with_the_cost_it_reached()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var budget = new RunBudget { MaxCost = 0.0001m, Price = new TokenPrice(100m, 100m) };

        var run = await Pipeline().RunAsync("do it", workspace, new RunOptions { Budget = budget });

        Assert.Equal(RunStatus.Stopped, run.Status);
        Assert.Contains("cost budget", run.Error);
        Assert.True(budget.Price!.CostOf(run.Usage) >= budget.MaxCost);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task At_the_wall_time_cap_the_step_in_progress_is_abandoned_and_the_run_resumes_from_the_last_checkpoint(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var time = new FakeTimeProvider();
        var workflow = Pipeline(time, secondDelay: TimeSpan.FromMinutes(10));

        var run = await time.DriveAsync(workflow.RunAsync("do it", workspace, new RunOptions { Time = time, Budget = new RunBudget { MaxWallTime = TimeSpan.FromMinutes(1) } }), TimeSpan.FromSeconds(10));

        Assert.Equal(RunStatus.Stopped, run.Status);
        Assert.Contains("wall-time budget", run.Error);
        Assert.Contains("while b was working on step 2", run.Error);
        Assert.Single(run.Steps);

        var fresh = Workflow.Sequential(
            new Agent("a", new ScriptedChatClient([]), "Step one."),
            new Agent("b", new ScriptedChatClient([ScriptedReply.Say("second")]), "Step two."),
            new Agent("c", new ScriptedChatClient([ScriptedReply.Say("third")]), "Step three."));
        var resumed = await fresh.ResumeAsync(run.Id, workspace, new RunOptions { Time = time });
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(3, resumed.Steps.Count);
    }

    [Fact]
    public async Task A_cost_cap_without_a_price_is_refused()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Pipeline().RunAsync("do it", workspace, new RunOptions { Budget = new RunBudget { MaxCost = 1m } }));

        Assert.Contains("price", error.Message);
    }
}
