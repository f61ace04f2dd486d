namespace Cadre.Workflows;

/// <summary>How one voter answered.</summary>
/// <param name="Voter">The voter's <see cref="ConsensusVoter.Label"/> (<c>billing</c>, <c>billing@t=0.7</c>).</param>
/// <param name="Answer">Its answer, or null when it failed.</param>
/// <param name="Group">The group of answers it agrees with, or null when it failed.</param>
/// <param name="Error">Why it failed, if it did.</param>
public sealed record ConsensusVote(string Voter, string? Answer, int? Group, string? Error);
