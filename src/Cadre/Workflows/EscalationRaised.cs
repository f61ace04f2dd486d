using Cadre.Observability;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>A workflow asked a person to decide, and what came of it.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="At">When it was decided (or recorded).</param>
/// <param name="Request">Why the run escalated.</param>
/// <param name="Outcome">What the escalation handler decided: recorded (the run stops as escalated), retry, or a
/// person's answer.</param>
public sealed record EscalationRaised(string RunId, DateTimeOffset At, EscalationRequest Request, EscalationOutcome Outcome) : RunEvent(RunId, At);
