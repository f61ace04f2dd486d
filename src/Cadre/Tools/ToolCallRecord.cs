namespace Cadre.Tools;

/// <summary>What happened when an agent called a tool: recorded in the run's steps, audited, and shown in
/// transcripts.</summary>
/// <param name="CallId">The model's id for the call, pairing it with its result.</param>
/// <param name="Tool">The tool's name as the model called it.</param>
/// <param name="Arguments">The arguments as JSON, as the model sent them.</param>
/// <param name="Status">How the call ended.</param>
/// <param name="Result">What was returned to the model: the tool's result, or the error text.</param>
/// <param name="Duration">How long the call took.</param>
public sealed record ToolCallRecord(
    string CallId,
    string Tool,
    string Arguments,
    ToolCallStatus Status,
    string Result,
    TimeSpan Duration)
{
    /// <summary>True when the tool ran and returned a result (or a recorded result was replayed).</summary>
    public bool Succeeded => Status is ToolCallStatus.Succeeded or ToolCallStatus.Replayed;
}
