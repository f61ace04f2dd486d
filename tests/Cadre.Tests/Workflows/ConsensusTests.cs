using Cadre.Agents;
using Cadre.Workflows;
using Cadre.Testing;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Workflows;

/// <summary>Consensus: one task on several voters, answers grouped, agreement and majority reported, disagreement
/// flagged.</summary>
public sealed class ConsensusTests
{
    private static Agent Voter(string name, params ScriptedReply[] replies) => new(name, new ScriptedChatClient(replies), "Answer briefly.");

    [Fact]
    public async Task Normalised_answers_agree_and_the_majority_is_reported_with_the_disagreement_flagged()
    {
        var consensus = Consensus.Of(Voter("a", ScriptedReply.Say("Paris")), Voter("b", ScriptedReply.Say("  paris. ")), Voter("c", ScriptedReply.Say("Lyon")));

        var result = await consensus.RunAsync("Capital of France?");

        Assert.Equal("Paris", result.MajorityAnswer);
        Assert.Equal(2.0 / 3, result.Agreement, 3);
        Assert.True(result.NeedsReview);
        Assert.False(result.IsUnanimous);
        Assert.Equal([0, 0, 1], result.Votes.Select(v => v.Group));
        Assert.Equal("2 of 3 agree (67%): \"Paris\"; needs review", result.Summary);
    }

    [Fact]
    public async Task Enough_agreement_needs_no_review()
    {
        var consensus = new Consensus(
            [new ConsensusVoter("a", Voter("a", ScriptedReply.Say("yes"))), new ConsensusVoter("b", Voter("b", ScriptedReply.Say("Yes!"))), new ConsensusVoter("c", Voter("c", ScriptedReply.Say("no")))])
        { RequiredAgreement = 0.6 };

        Assert.False((await consensus.RunAsync("ok?")).NeedsReview);
    }

    [Fact]
    public async Task Exact_comparison_tells_differently_written_answers_apart()
    {
        var consensus = Consensus.Of(Voter("a", ScriptedReply.Say("Paris")), Voter("b", ScriptedReply.Say("paris."))).ComparedBy(TextAnswerComparer.Exact);

        var result = await consensus.RunAsync("Capital?");

        Assert.Null(result.MajorityAnswer);
        Assert.Equal(0.5, result.Agreement);
    }

    [Fact]
    public async Task Embedding_similarity_groups_answers_that_mean_the_same()
    {
        var embeddings = new KeywordEmbeddings();
        var consensus = Consensus.Of(
                Voter("a", ScriptedReply.Say("The refund was issued.")),
                Voter("b", ScriptedReply.Say("We issued the refund.")),
                Voter("c", ScriptedReply.Say("The invoice is unpaid.")))
            .ComparedBy(new EmbeddingAnswerComparer(embeddings, threshold: 0.8));

        var result = await consensus.RunAsync("What happened?");

        Assert.Equal([0, 0, 1], result.Votes.Select(v => v.Group));
        Assert.Equal("The refund was issued.", result.MajorityAnswer);
        Assert.Equal(1, embeddings.Calls); // one batch for all answers
    }

    [Fact]
    public async Task One_agent_can_vote_at_several_temperatures()
    {
        var temperatures = new List<float?>();
        var model = new ScriptedChatClient([ScriptedReply.Say("42"), ScriptedReply.Say("42"), ScriptedReply.Say("41")]).AsBuilder()
            .Use((messages, options, next, token) =>
            {
                lock (temperatures)
                {
                    temperatures.Add(options?.Temperature);
                }

                return next(messages, options, token);
            }).Build();
        var agent = new Agent("solver", model, "Solve.");

        var result = await Consensus.Variants(agent, new ChatOptions { Temperature = 0 }, new ChatOptions { Temperature = 0.7f }, new ChatOptions { Temperature = 1 }).RunAsync("6 x 7?");

        Assert.Equal(["solver@t=0", "solver@t=0.7", "solver@t=1"], result.Votes.Select(v => v.Voter));
        Assert.Equal([0f, 0.7f, 1f], temperatures.Order().Select(t => t!.Value));
        Assert.Equal("42", result.MajorityAnswer);
    }

    [Fact]
    public async Task A_failing_voter_is_reported_and_flags_the_result_for_review()
    {
        var consensus = Consensus.Of(Voter("a", ScriptedReply.Say("42")), Voter("b", ScriptedReply.Fail("down", 503)), Voter("c", ScriptedReply.Say("42")));

        var result = await consensus.RunAsync("6 x 7?");

        Assert.Equal("42", result.MajorityAnswer);
        Assert.Equal(1.0, result.Agreement);
        Assert.True(result.NeedsReview);
        Assert.Equal("503 down", result.Votes[1].Error);
        Assert.Contains("1 failed", result.Summary);
    }

    /// <summary>Embeds a text as counts of a few keywords: enough to tell "refund issued" from "invoice unpaid".</summary>
    private sealed class KeywordEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        private static readonly string[] Words = ["refund", "issued", "invoice", "unpaid"];

        public int Calls { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            var embeddings = values.Select(v => new Embedding<float>(Words.Select(w => v.Contains(w, StringComparison.OrdinalIgnoreCase) ? 1f : 0f).ToArray()));
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
