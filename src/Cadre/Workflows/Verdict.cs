namespace Cadre.Workflows;

/// <summary>A verifier's decision on an answer.</summary>
/// <param name="Accepted">True when the answer may be accepted.</param>
/// <param name="Reasons">Why it was rejected (or notes on why it was accepted).</param>
public sealed record Verdict(bool Accepted, IReadOnlyList<string> Reasons);
