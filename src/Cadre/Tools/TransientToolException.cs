namespace Cadre.Tools;

/// <summary>Thrown by a tool to say that it failed for a passing reason (a busy service, a dropped connection): the
/// governed path retries the call, counts it against the tool's circuit breaker and may fall back to an
/// alternative tool.</summary>
public sealed class TransientToolException : Exception
{
    /// <summary>Creates the exception with .NET's generic message; prefer a constructor that says what failed.</summary>
    public TransientToolException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed; the model reads it (<c>'tool' failed: message</c>) when no retry or alternative succeeds.</param>
    public TransientToolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed; the model reads it (<c>'tool' failed: message</c>) when no retry or alternative succeeds.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public TransientToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
