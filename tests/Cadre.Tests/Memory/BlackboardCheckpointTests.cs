using Cadre.Agents;
using Cadre.Memory;
using Cadre.Memory.Shared;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;

namespace Cadre.Tests.Memory;

public sealed class BlackboardCheckpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_checkpoint_records_the_shared_memory_changes_made_since_the_previous_one()
    {
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        var scope = MemoryScope.Parse("acme");
        var board = workspace.Memory.Blackboard(scope, BlackboardActor.Operator("cadre"));
        var model = new ScriptedChatClient([
            ScriptedReply.Call(Agent.HandoffToolName, new { to = "billing", note = "double charge" }),
            ScriptedReply.Say("Refunded."),
        ]);
        var options = new RunOptions
        {
            Hooks = [new BlackboardHandoffs(board)],
            CheckpointContributors = [new BlackboardCheckpoint(workspace.Memory.Stores.Blackboard, scope)],
        };

        var run = await Workflow.Handoff(new Agent("triage", model, "route"), new Agent("billing", model, "bill")).RunAsync("charged twice", workspace, options);

        Assert.Equal(RunStatus.Completed, run.Status);
        var checkpoint = await workspace.Runs.GetCheckpointAsync(run.Id);
        var part = checkpoint!.State.Extensions["blackboard"];
        var change = Assert.Single(part.GetProperty("changes").EnumerateArray());
        Assert.Equal((BlackboardHandoffs.KeyFor(run.Id), 1L, "triage"), (change.GetProperty("key").GetString(), change.GetProperty("version").GetInt64(), change.GetProperty("actor").GetString()));
        Assert.Equal("acme", part.GetProperty("board").GetString());
        var written = Assert.Single(await board.AuditAsync());
        Assert.Equal(written.Sequence, part.GetProperty("position").GetInt64());
    }
}
