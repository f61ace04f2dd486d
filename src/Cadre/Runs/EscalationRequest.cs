namespace Cadre.Runs;

/// <summary>A workflow's request for a person's decision, kept in its state (and so in its checkpoint) until someone
/// decides.</summary>
/// <param name="Reason">Why: what failed or was rejected, and what was tried.</param>
/// <param name="Critical">True for a critical failure (no capable worker left, the supervisor failing).</param>
/// <param name="Agent">The agent concerned, if any.</param>
public sealed record EscalationRequest(string Reason, bool Critical, string? Agent = null);
