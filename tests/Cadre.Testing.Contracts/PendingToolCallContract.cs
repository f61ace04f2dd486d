using Cadre.Runs;

namespace Cadre.Testing.Contracts;

/// <summary>What a <see cref="IRunStore"/> that keeps pending side-effecting calls must do: a call recorded before it
/// runs shows in the checkpoint until the step that made it commits. Stores that ignore pending calls skip this suite.</summary>
public abstract class PendingToolCallContract : RunStoreContract
{
    [Fact]
    public async Task A_pending_call_shows_in_the_checkpoint_until_its_step_commits()
    {
        await Runs.CreateRunAsync(Run("r-1"), [], State(0, "billing"));
        var call = new PendingToolCall("r-1/1/0", 1, "billing", "send_email", "{\"to\":\"john@example.com\"}", Start.AddSeconds(1));

        await Runs.AddPendingToolCallAsync("r-1", call);
        await Runs.AddPendingToolCallAsync("r-1", call);

        Assert.Equal([call], (await Runs.GetCheckpointAsync("r-1"))!.State.PendingToolCalls);
        await Runs.CommitStepAsync(Step("r-1", 1, "billing"));
        Assert.Empty((await Runs.GetCheckpointAsync("r-1"))!.State.PendingToolCalls);
    }
}
