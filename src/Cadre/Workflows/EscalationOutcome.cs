namespace Cadre.Workflows;

/// <summary>What an <see cref="IEscalationHandler"/> returns: the decision, and a person's answer when there is
/// one.</summary>
/// <param name="Decision">Recorded (the run stops as escalated), retry from where the run stands, or answered.</param>
/// <param name="Answer">The person's answer, when they answered.</param>
/// <param name="By">Who decided, if known.</param>
public sealed record EscalationOutcome(EscalationDecision Decision, string? Answer = null, string? By = null)
{
    /// <summary>Nobody decided now; the escalation is recorded.</summary>
    public static EscalationOutcome Recorded { get; } = new(EscalationDecision.Recorded);

    /// <summary>Goes on from where the run stands, the escalation cleared.</summary>
    public static EscalationOutcome Retry { get; } = new(EscalationDecision.Retry);

    /// <summary>A person's answer, which by default becomes the run's answer.</summary>
    /// <exception cref="ArgumentException"><paramref name="answer"/> is empty or blank.</exception>
    public static EscalationOutcome Answered(string answer, string? by = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(answer);
        return new(EscalationDecision.Answered, answer, by);
    }
}
