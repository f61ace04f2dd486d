namespace Cadre.Runs;

/// <summary>What a person is asked to decide: the run, the step, why, and the task.</summary>
/// <param name="RunId">The id of the run it belongs to.</param>
/// <param name="Step">The last completed step.</param>
/// <param name="Task">The task the run was started with, as the user wrote it.</param>
/// <param name="Request">Why the run escalates.</param>
public sealed record Escalation(string RunId, int Step, string Task, EscalationRequest Request);
