using System.Globalization;
using Cadre.Agents;
using Cadre.Resilience;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>
/// Runs one task on several voters at once — different agents, or one agent at several temperatures or models — each
/// on its own fresh thread, groups their answers with an <see cref="IAnswerComparer"/> (exact, normalised, or by
/// embedding similarity), and reports agreement, the majority answer, and whether a person should review it. A voter
/// that fails is reported, not fatal.
/// </summary>
public sealed class Consensus
{
    /// <summary>Creates a consensus over voters.</summary>
    /// <param name="voters">The voters (at least two, with distinct labels).</param>
    /// <param name="comparer">How answers are compared; normalised text when null.</param>
    public Consensus(IReadOnlyList<ConsensusVoter> voters, IAnswerComparer? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(voters);
        if (voters.Count < 2)
        {
            throw new ArgumentException("A consensus needs at least two voters.", nameof(voters));
        }

        if (voters.GroupBy(v => v.Label, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Two voters are labelled '{twice.Key}'.", nameof(voters));
        }

        Voters = voters;
        Comparer = comparer ?? TextAnswerComparer.Normalized;
    }

    /// <summary>The voters asked for each answer, in the order given.</summary>
    public IReadOnlyList<ConsensusVoter> Voters { get; }

    /// <summary>How answers are compared.</summary>
    public IAnswerComparer Comparer { get; }

    /// <summary>The least agreement that needs no review (default 1: any disagreement is flagged).</summary>
    public double RequiredAgreement { get; init; } = 1.0;

    /// <summary>A consensus of several agents.</summary>
    public static Consensus Of(params IReadOnlyList<Agent> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new Consensus(agents.Select(a => new ConsensusVoter(a.Name, a)).ToList());
    }

    /// <summary>A consensus of one agent asked several times with different chat options (temperatures, model ids).</summary>
    /// <param name="agent">The agent asked once per variant; each vote is labelled <c>agent@model,t=0.7</c> from the
    /// variant's model id and temperature (<c>agent@2</c>, by position, when it sets neither).</param>
    /// <param name="variants">The options of each vote.</param>
    public static Consensus Variants(Agent agent, params IReadOnlyList<ChatOptions> variants)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(variants);
        return new Consensus(variants.Select((o, i) => new ConsensusVoter(LabelFor(agent, o, i), agent, o)).ToList());
    }

    /// <summary>Returns a copy that compares answers with <paramref name="comparer"/>.</summary>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public Consensus ComparedBy(IAnswerComparer comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        return new Consensus(Voters, comparer) { RequiredAgreement = RequiredAgreement };
    }

    /// <summary>Asks every voter and compares their answers.</summary>
    /// <returns>What they agreed on.</returns>
    public async Task<ConsensusResult> RunAsync(string task, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        var answers = await Task.WhenAll(Voters.Select(v => VoteAsync(v, task, cancellationToken)));
        return await TallyAsync(answers, cancellationToken);
    }

    /// <summary>A workflow that asks the voters one after another, each on a fresh thread, with a checkpoint after
    /// every vote — so a crash loses at most the vote in progress and resuming asks only the voters still due — and
    /// answers with the majority, escalating to a person when the consensus needs review.</summary>
    public Workflows.ConsensusWorkflow AsWorkflow() => new(this);

    /// <summary>Groups the voters' answers (in <see cref="Voters"/> order) and decides agreement, majority and review.</summary>
    /// <param name="answers">Each voter's answer, or why it has none.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>.</param>
    internal async Task<ConsensusResult> TallyAsync(IReadOnlyList<(string? Answer, string? Error)> answers, CancellationToken cancellationToken)
    {
        var answered = answers.Select((a, i) => (Index: i, a.Answer)).Where(a => a.Answer is not null).ToList();
        var groups = answered.Count == 0 ? [] : await Comparer.GroupAsync(answered.Select(a => a.Answer!).ToList(), cancellationToken);
        var groupOf = answered.Select((a, k) => (a.Index, Group: groups[k])).ToDictionary(x => x.Index, x => x.Group);
        var votes = Voters.Select((v, i) => new ConsensusVote(v.Label, answers[i].Answer, groupOf.TryGetValue(i, out var g) ? g : null, answers[i].Error)).ToList();

        if (answered.Count == 0)
        {
            return new ConsensusResult(votes, 0, null, NeedsReview: true);
        }

        var largest = groups.GroupBy(g => g).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First();
        var agreement = (double)largest.Count() / answered.Count;
        var majority = largest.Count() * 2 > answered.Count ? answered[groups.ToList().IndexOf(largest.Key)].Answer : null;
        var failed = answered.Count < Voters.Count;
        return new ConsensusResult(votes, agreement, majority, NeedsReview: majority is null || agreement < RequiredAgreement || failed);
    }

    private static async Task<(string? Answer, string? Error)> VoteAsync(ConsensusVoter voter, string task, CancellationToken cancellationToken)
    {
        try
        {
            var response = await voter.Agent.RunAsync([new ChatMessage(ChatRole.User, task)], new AgentTurnOptions { ChatOptions = voter.Options }, cancellationToken);
            return string.IsNullOrWhiteSpace(response.Text) ? (null, "no answer") : (response.Text.Trim(), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (null, TransientFailures.Describe(ex));
        }
    }

    private static string LabelFor(Agent agent, ChatOptions options, int index)
    {
        var parts = new List<string>();
        if (options.ModelId is { } model)
        {
            parts.Add(model);
        }

        if (options.Temperature is { } temperature)
        {
            parts.Add("t=" + temperature.ToString("0.##", CultureInfo.InvariantCulture));
        }

        return $"{agent.Name}@{(parts.Count == 0 ? (index + 1).ToString(CultureInfo.InvariantCulture) : string.Join(",", parts))}";
    }
}
