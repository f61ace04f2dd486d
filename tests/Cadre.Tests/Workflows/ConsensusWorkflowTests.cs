using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;

namespace Cadre.Tests.Workflows;

/// <summary>Consensus as a checkpointed workflow: a vote per step, the votes in every checkpoint, a crash loses at
/// most the vote in progress, and disagreement goes to a person.</summary>
public sealed class ConsensusWorkflowTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Agent Voter(string name, params ScriptedReply[] replies) => new(name, new ScriptedChatClient(replies), "Answer briefly.");

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_crash_after_two_votes_resumes_with_only_the_third_voter_and_answers_with_the_majority(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var a = Voter("a", ScriptedReply.Say("Paris"));
        var b = Voter("b", ScriptedReply.Say("  paris. "));
        var c = Voter("c", ScriptedReply.Say("Paris!"));
        var workflow = Consensus.Of(a, b, c).AsWorkflow();
        var crash = new CrashPlan(FaultPoints.AfterCommit, 2);

        await Assert.ThrowsAsync<CrashException>(() => workflow.RunAsync("Capital of France?", workspace, new RunOptions { RunId = "vote", Faults = crash }));
        Assert.Equal(2, (await workspace.Runs.GetStepsAsync("vote")).Count);
        Assert.Null(await ConsensusWorkflow.ReadAsync("vote", workspace));

        // The two voters who voted have nothing left to say: only the third is asked.
        var resumed = await workflow.ResumeAsync("vote", workspace, new RunOptions { LeaseDuration = TimeSpan.FromMinutes(5), Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1)) });

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal("Paris", resumed.Answer);
        Assert.Equal(["a", "b", "c"], resumed.Steps.Select(s => s.Agent));
        var result = await ConsensusWorkflow.ReadAsync("vote", workspace);
        Assert.Equal(1.0, result!.Agreement);
        Assert.False(result.NeedsReview);
    }

    [Fact]
    public async Task Disagreement_and_a_failed_voter_escalate_with_every_vote()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("sqlite", _dir);
        var workflow = Consensus.Of(Voter("a", ScriptedReply.Say("yes")), Voter("b", ScriptedReply.Fail("down", 500)), Voter("c", ScriptedReply.Say("no"))).AsWorkflow();

        var run = await workflow.RunAsync("Refund it?", workspace);

        Assert.Equal(RunStatus.Escalated, run.Status);
        Assert.Contains("a: yes", run.Error, StringComparison.Ordinal);
        Assert.Contains("c: no", run.Error, StringComparison.Ordinal);
        var result = await ConsensusWorkflow.ReadAsync(run.Id, workspace);
        Assert.True(result!.NeedsReview);
        Assert.Null(result.Votes[1].Answer);
        Assert.Contains("no vote", result.Votes[1].Error, StringComparison.Ordinal);
    }
}
