namespace Cadre.Resilience;

/// <summary>One failed attempt at a model or tool call, as kept for a dead letter: when, which provider and level,
/// the attempt's number and what went wrong.</summary>
/// <param name="At">When the attempt failed, from the run's <see cref="TimeProvider"/>.</param>
/// <param name="Provider">The provider (<c>openai:gpt-4o-mini</c>) or tool.</param>
/// <param name="Level">The degradation level it served at, if any.</param>
/// <param name="Attempt">The attempt's number at that provider, from 1.</param>
/// <param name="Error">The failure in one line for people: the HTTP status when there is one, then the message
/// (<c>circuit open: …</c> or <c>timed out: …</c> for those failures).</param>
/// <param name="ErrorType">The failure's type name.</param>
public sealed record CallAttempt(DateTimeOffset At, string Provider, string? Level, int Attempt, string Error, string ErrorType);
