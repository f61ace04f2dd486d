namespace Cadre.Observability;

/// <summary>A step finished and was recorded.</summary>
/// <param name="RunId">The run.</param>
/// <param name="At">When.</param>
/// <param name="Step">The recorded step.</param>
public sealed record StepCompleted(string RunId, DateTimeOffset At, Cadre.Workflows.RunStep Step) : RunEvent(RunId, At);
