using Cadre.Agents;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Workflows;

/// <summary>Answers that can be checked: typed structured output with confidence and sources, and a verifier that
/// accepts them or sends them back a bounded number of times before escalating.</summary>
public sealed class VerifiedAnswerWorkflowTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public sealed record Refund(string Invoice, decimal Amount);

    private static string Answer(decimal amount, double confidence = 0.9) =>
        $$"""{"answer":{"invoice":"INV-1001","amount":{{amount}}},"confidence":{{confidence}},"sources":["lookup_invoice INV-1001"]}""";

    private static string Verdict(bool accepted, params string[] reasons) =>
        $$"""{"accepted":{{(accepted ? "true" : "false")}},"reasons":[{{string.Join(",", reasons.Select(r => $"\"{r}\""))}}]}""";

    private static (Agent Agent, ScriptedChatClient Model, List<ChatOptions?> Options) Spy(string name, params string[] replies)
    {
        var model = new ScriptedChatClient(replies.Select(ScriptedReply.Say));
        var seen = new List<ChatOptions?>();
        var client = model.AsBuilder().Use((messages, options, next, token) =>
        {
            seen.Add(options);
            return next(messages, options, token);
        }).Build();
        return (new Agent(name, client, $"You are the {name}."), model, seen);
    }

    [Fact]
    public async Task An_accepted_answer_is_the_typed_result_with_its_confidence_and_sources()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var answerer = Spy("answerer", Answer(49m));
        var verifier = Spy("verifier", Verdict(true));
        var workflow = new VerifiedAnswerWorkflow<Refund>(answerer.Agent, verifier.Agent);

        var run = await workflow.RunAsync("How much to refund for INV-1001?", workspace);

        Assert.Equal(RunStatus.Completed, run.Status);
        var answer = CheckedAnswers.Read<Refund>(run)!;
        Assert.Equal(new Refund("INV-1001", 49m), answer.Answer);
        Assert.Equal(0.9, answer.Confidence);
        Assert.Equal(["lookup_invoice INV-1001"], answer.Sources);
        var schema = Assert.IsType<ChatResponseFormatJson>(answerer.Options[0]!.ResponseFormat);
        Assert.Contains("confidence", schema.Schema!.Value.GetRawText());
        Assert.IsType<ChatResponseFormatJson>(verifier.Options[0]!.ResponseFormat);
        Assert.Contains(verifier.Model.Requests[0], m => m.Role == ChatRole.System && m.Text.Contains("\"amount\":49", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_answer_goes_back_with_the_reasons_and_the_fixed_one_is_accepted()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var answerer = Spy("answerer", Answer(98m), Answer(49m));
        var verifier = Spy("verifier", Verdict(false, "only the duplicate charge is refunded"), Verdict(true));

        var run = await new VerifiedAnswerWorkflow<Refund>(answerer.Agent, verifier.Agent).RunAsync("refund?", workspace);

        Assert.Equal(49m, CheckedAnswers.Read<Refund>(run)!.Answer.Amount);
        Assert.Equal(["answerer", "verifier", "answerer", "verifier"], run.Steps.Select(s => s.Agent));
        Assert.Contains(answerer.Model.Requests[1], m => m.Role == ChatRole.System && m.Text.Contains("only the duplicate charge is refunded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_or_unsure_answers_go_back_without_troubling_the_verifier()
    {
        await using var workspace = await TestWorkspaces.OpenAsync("memory", _dir);
        var answerer = Spy("answerer", "It is 49 dollars.", Answer(49m, confidence: 0.2), Answer(49m, confidence: 0.95));
        var verifier = Spy("verifier", Verdict(true));
        var workflow = new VerifiedAnswerWorkflow<Refund>(answerer.Agent, verifier.Agent) { MinimumConfidence = 0.5, MaxRejections = 3 };

        var run = await workflow.RunAsync("refund?", workspace);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Single(verifier.Model.Requests);
        Assert.Contains(answerer.Model.Requests[1], m => m.Text.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Contains(answerer.Model.Requests[2], m => m.Text.Contains("below the required 0.5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task After_too_many_rejections_the_run_escalates_and_a_person_s_answer_ends_it(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var answerer = Spy("answerer", Answer(98m), Answer(97m));
        var verifier = Spy("verifier", Verdict(false, "wrong amount"), Verdict(false, "still wrong"));
        var workflow = new VerifiedAnswerWorkflow<Refund>(answerer.Agent, verifier.Agent) { MaxRejections = 1 };

        var run = await workflow.RunAsync("refund?", workspace);

        Assert.Equal(RunStatus.Escalated, run.Status);
        Assert.Contains("rejected 2 times; last: still wrong", run.Error);

        var events = new EventLog();
        var person = EscalationHandlers.From((e, _) => Task.FromResult(EscalationOutcome.Answered(Answer(49m, 1.0), "ops")));
        var resumed = await workflow.ResumeAsync(run.Id, workspace, new RunOptions { Escalation = person, Observer = events });

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(49m, CheckedAnswers.Read<Refund>(resumed)!.Answer.Amount);
        Assert.Equal(Workflow.PersonName, resumed.Steps[^1].Agent);
        Assert.False(events.Of<EscalationRaised>().Single().Request.Critical);
    }

    [Fact]
    public async Task A_model_can_be_asked_directly_for_a_typed_answer()
    {
        var model = new ScriptedChatClient([ScriptedReply.Say(Answer(12.5m)), ScriptedReply.Say("no idea")]);

        var answer = await CheckedAnswers.AskAsync<Refund>(model, [new ChatMessage(ChatRole.User, "refund?")]);

        Assert.Equal(12.5m, answer.Answer.Amount);
        await Assert.ThrowsAsync<InvalidModelResponseException>(() => CheckedAnswers.AskAsync<Refund>(model, [new ChatMessage(ChatRole.User, "refund?")]));
    }
}
