namespace Cadre.Resilience;

/// <summary>A model answered, but with nothing usable: an empty reply, or text that is not the JSON the request asked
/// for. It counts as a failure: retried, counted by the circuit breaker, and failed over by the chain.</summary>
public sealed class InvalidModelResponseException : Exception
{
    /// <summary>Creates the exception with the runtime's default message; prefer one that says what was wrong with the
    /// reply.</summary>
    public InvalidModelResponseException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong with the reply.</param>
    public InvalidModelResponseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong with the reply.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public InvalidModelResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
