namespace Cadre.Runs;

/// <summary>An agent's decision to hand the thread to another agent.</summary>
/// <param name="To">The name of the agent that takes over.</param>
/// <param name="Note">What the next agent should know: the reason and what was found so far.</param>
public sealed record Handoff(string To, string Note);
