namespace Cadre.Resilience;

/// <summary>Every level of a fallback chain failed or was unavailable for a call. <see cref="Attempts"/> says what
/// each tried and why it failed; a workflow step that ends with this is dead-lettered.</summary>
public sealed class ModelUnavailableException : Exception
{
    /// <summary>Creates the exception with the runtime's default message and no <see cref="Attempts"/>.</summary>
    public ModelUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with what each level tried.</summary>
    /// <param name="message">Which chain failed and why, in one line for people.</param>
    /// <param name="attempts">What each level tried and why it failed.</param>
    /// <param name="innerException">The last failure, if any.</param>
    public ModelUnavailableException(string message, IReadOnlyList<CallAttempt> attempts, Exception? innerException)
        : base(message, innerException)
    {
        Attempts = attempts ?? [];
    }

    /// <summary>What each level tried and why it failed, in order.</summary>
    public IReadOnlyList<CallAttempt> Attempts { get; } = [];
}
