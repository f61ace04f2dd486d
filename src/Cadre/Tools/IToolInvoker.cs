namespace Cadre.Tools;

/// <summary>
/// The one seam through which an <see cref="Agents.Agent"/> calls tools. The default, <see cref="DirectToolInvoker"/>,
/// calls the function; a governed invoker adds permissions, validation, approval, limits and an audit trail
/// without touching <see cref="Agents.Agent"/>.
/// </summary>
/// <remarks>Implementations never throw for a bad call (unknown tool, malformed arguments, a failing tool): they
/// return a <see cref="ToolCallRecord"/> whose result tells the model what went wrong. Only cancellation
/// propagates.</remarks>
public interface IToolInvoker
{
    /// <summary>Carries out one tool call.</summary>
    /// <param name="request">The call and its context.</param>
    /// <param name="cancellationToken">Cancels the call; the resulting <see cref="OperationCanceledException"/> is the only exception an invoker lets out.</param>
    /// <returns>What happened, including the text returned to the model.</returns>
    Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken);
}
