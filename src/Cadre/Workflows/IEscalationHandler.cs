using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>Brings an escalation to a person: asks on a terminal, pages someone, or records it for later. Set one in
/// <see cref="RunOptions.Escalation"/>; without one, escalations are recorded and the run stops as
/// <see cref="RunStatus.Escalated"/>.</summary>
public interface IEscalationHandler
{
    /// <summary>Asks for a decision.</summary>
    /// <param name="escalation">What is to be decided and why.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>.</param>
    Task<EscalationOutcome> EscalateAsync(Escalation escalation, CancellationToken cancellationToken);
}
