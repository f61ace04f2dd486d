using Cadre.Observability;

namespace Cadre.Workflows;

/// <summary>An agent handed the thread to another agent.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="From">The agent that handed off.</param>
/// <param name="To">The agent that takes over.</param>
/// <param name="Note">The note passed along.</param>
public sealed record HandedOff(string RunId, DateTimeOffset At, string From, string To, string Note) : RunEvent(RunId, At);
