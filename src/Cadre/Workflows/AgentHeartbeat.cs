using Cadre.Observability;

namespace Cadre.Workflows;

/// <summary>An agent is still working on a long step: sent at a steady interval while it works, with how long it has
/// worked and what it last did.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="Step">The index of the step the agent is working on, from 1 (0 outside a workflow run).</param>
/// <param name="Agent">The working agent's name.</param>
/// <param name="Elapsed">How long the step has taken so far.</param>
/// <param name="LastActivity">What the agent last did ("lookup_invoice", a progress note), if anything.</param>
public sealed record AgentHeartbeat(string RunId, DateTimeOffset At, int Step, string Agent, TimeSpan Elapsed, string? LastActivity) : RunEvent(RunId, At);
