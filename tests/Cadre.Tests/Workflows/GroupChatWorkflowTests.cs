using Cadre.Agents;
using Cadre.Observability;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;

namespace Cadre.Tests.Workflows;

/// <summary>Group chat: round-robin or model-selected speakers, an end marker, a turn limit, checkpoints.</summary>
public sealed class GroupChatWorkflowTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Agent Participant(string name, params ScriptedReply[] replies) => new Agent(name, new ScriptedChatClient(replies), $"You are the {name}.").WithDescription($"The {name}");

    [Fact]
    public async Task Participants_speak_in_turn_until_one_says_it_is_done()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var chat = Workflow.GroupChat([
            Participant("writer", ScriptedReply.Say("Draft: refunds take 5 days."), ScriptedReply.Say("Final: refunds take 5 business days. DONE")),
            Participant("critic", ScriptedReply.Say("Say business days."))]);

        var run = await chat.RunAsync("write the refund policy line", workspace);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["writer", "critic", "writer"], run.Steps.Select(s => s.Agent));
        Assert.Equal("Final: refunds take 5 business days.", run.Answer);
    }

    [Fact]
    public async Task The_chat_ends_at_its_turn_limit_with_the_last_message()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var chat = new GroupChatWorkflow([Participant("a", ScriptedReply.Say("one"), ScriptedReply.Say("three")), Participant("b", ScriptedReply.Say("two"))]) { MaxTurns = 3 };

        var run = await chat.RunAsync("talk", workspace);

        Assert.Equal(("three", 3), (run.Answer, run.Steps.Count));
    }

    [Fact]
    public async Task A_selector_model_picks_the_next_speaker_and_a_useless_choice_falls_back_to_round_robin()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var selector = new ScriptedChatClient([
            ScriptedReply.Say("""{"next":"lawyer","done":false,"reason":"legal question"}"""),
            ScriptedReply.Say("""{"next":"nobody","done":false,"reason":"?"}"""),
            ScriptedReply.Fail("selector down", 500)]);
        var chat = Workflow.GroupChat([
            Participant("writer", ScriptedReply.Say("Is a refund after 60 days allowed?"), ScriptedReply.Say("Drafted: refunds within 30 days.")),
            Participant("editor", ScriptedReply.Say("Approved. DONE")),
            Participant("lawyer", ScriptedReply.Say("Only within 30 days."))], selector);
        var events = new EventLog();

        var run = await chat.RunAsync("refund policy", workspace, new RunOptions { Observer = events });

        // writer; the selector picks the lawyer; it names nobody, so round-robin gives the writer; it fails, so
        // round-robin gives the editor, who ends the chat.
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["writer", "lawyer", "writer", "editor"], run.Steps.Select(s => s.Agent));
        Assert.Equal("Approved.", run.Answer);
        Assert.Contains("selector down", events.Of<RunNotice>().Single().Text);
        Assert.Equal(3, selector.Requests.Count);
        Assert.Contains("lawyer: The lawyer", selector.Requests[0][0].Text);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_chat_interrupted_mid_way_resumes_with_the_speaker_whose_turn_it_was(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var broken = Workflow.GroupChat([Participant("a", ScriptedReply.Say("first")), Participant("b")]);

        var run = await broken.RunAsync("talk", workspace);
        Assert.Equal(RunStatus.Failed, run.Status);

        var healthy = Workflow.GroupChat([Participant("a"), Participant("b", ScriptedReply.Say("second DONE"))]);
        var resumed = await healthy.ResumeAsync(run.Id, workspace);

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(["a", "b"], resumed.Steps.Select(s => s.Agent));
        Assert.Equal("second", resumed.Answer);
    }
}
