using System.Globalization;

namespace Cadre.Workflows;

/// <summary>What a <see cref="Consensus"/> found: every vote, how far they agree, the majority answer if there is one,
/// and whether a person should review it.</summary>
/// <param name="Votes">Every vote, in voter order.</param>
/// <param name="Agreement">The share of answering voters in the largest group, from 0 to 1.</param>
/// <param name="MajorityAnswer">The largest group's first answer when more than half of the answering voters are in
/// it; null otherwise.</param>
/// <param name="NeedsReview">True when the voters disagree more than allowed, no majority exists, or voters
/// failed.</param>
public sealed record ConsensusResult(IReadOnlyList<ConsensusVote> Votes, double Agreement, string? MajorityAnswer, bool NeedsReview)
{
    /// <summary>True when every answering voter agrees.</summary>
    public bool IsUnanimous => Votes.Any(v => v.Group is not null) && Votes.Where(v => v.Group is not null).Select(v => v.Group).Distinct().Count() == 1;

    /// <summary>One line for people: <c>2 of 3 agree (67%): "Paris"; review: yes</c>.</summary>
    public string Summary
    {
        get
        {
            var answered = Votes.Count(v => v.Group is not null);
            var largest = answered == 0 ? 0 : Votes.Where(v => v.Group is not null).GroupBy(v => v.Group).Max(g => g.Count());
            var failed = Votes.Count - answered;
            return string.Create(CultureInfo.InvariantCulture,
                $"{largest} of {answered} agree ({Agreement * 100:0}%){(MajorityAnswer is null ? ", no majority" : $": \"{MajorityAnswer}\"")}{(failed > 0 ? $"; {failed} failed" : "")}{(NeedsReview ? "; needs review" : "")}");
        }
    }
}
