namespace Cadre.Workflows;

/// <summary>The outcome of an escalation.</summary>
/// <param name="Decision">What was decided.</param>
/// <param name="Answer">The person's answer, when they answered.</param>
/// <param name="By">Who decided, if known.</param>
public sealed record EscalationOutcome(EscalationDecision Decision, string? Answer = null, string? By = null)
{
    /// <summary>Nobody decided now; the escalation is recorded.</summary>
    public static EscalationOutcome Recorded { get; } = new(EscalationDecision.Recorded);

    /// <summary>Try again.</summary>
    public static EscalationOutcome Retry { get; } = new(EscalationDecision.Retry);

    /// <summary>A person's answer.</summary>
    public static EscalationOutcome Answered(string answer, string? by = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(answer);
        return new(EscalationDecision.Answered, answer, by);
    }
}
