namespace Cadre.Runs;

/// <summary>A side-effecting tool call that started in the step in progress and was not yet committed with it. Written
/// before the call runs; a checkpoint that still lists it after a crash says the call may or may not have happened.
/// On resume, the tool ledger tells which: a recorded call is not repeated; an unrecorded one runs again under the
/// same idempotency key.</summary>
/// <param name="Key">The call's idempotency key (<c>run/step/index</c>).</param>
/// <param name="Step">The step it belongs to.</param>
/// <param name="Agent">The name of the agent that made the call.</param>
/// <param name="Tool">The tool's name as the model called it.</param>
/// <param name="Arguments">The arguments as the model sent them, as JSON text.</param>
/// <param name="StartedAt">When it was recorded, just before the call ran, by the run's clock.</param>
public sealed record PendingToolCall(string Key, int Step, string Agent, string Tool, string Arguments, DateTimeOffset StartedAt);
