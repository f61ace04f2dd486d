using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>Ready-made escalation handlers: one that records every escalation, and one over a delegate.</summary>
public static class EscalationHandlers
{
    /// <summary>Records every escalation (the run stops as escalated, with the reason).</summary>
    public static IEscalationHandler Record { get; } = From((_, _) => Task.FromResult(EscalationOutcome.Recorded));

    /// <summary>A handler that calls <paramref name="decide"/>.</summary>
    public static IEscalationHandler From(Func<Escalation, CancellationToken, Task<EscalationOutcome>> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return new DelegateHandler(decide);
    }

    private sealed class DelegateHandler(Func<Escalation, CancellationToken, Task<EscalationOutcome>> decide) : IEscalationHandler
    {
        public Task<EscalationOutcome> EscalateAsync(Escalation escalation, CancellationToken cancellationToken) => decide(escalation, cancellationToken);
    }
}
