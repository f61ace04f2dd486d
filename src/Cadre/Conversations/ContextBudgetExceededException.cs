namespace Cadre.Conversations;

/// <summary>Thrown when the messages that may never be dropped (system prompt, latest user turn) do not fit the
/// token budget on their own.</summary>
public sealed class ContextBudgetExceededException : InvalidOperationException
{
    /// <summary>Creates the exception with the runtime's default message; prefer one that says what does not fit.</summary>
    public ContextBudgetExceededException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What does not fit.</param>
    public ContextBudgetExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What does not fit.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ContextBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a budget and the tokens the pinned messages need.</summary>
    /// <param name="budget">The budget in tokens.</param>
    /// <param name="required">The tokens the pinned messages need.</param>
    public ContextBudgetExceededException(int budget, int required)
        : base($"The messages that are never dropped (the system prompt, the latest user turn and the newest tool call with its results) need {required} tokens, more than the context budget of {budget}. " +
               "Raise the budget, shorten the instructions, or lower the tool result budget (GovernedToolOptions.ResultBudget).")
    {
        Budget = budget;
        Required = required;
    }

    /// <summary>The budget in tokens.</summary>
    public int Budget { get; }

    /// <summary>The tokens the messages that may not be dropped need.</summary>
    public int Required { get; }
}
