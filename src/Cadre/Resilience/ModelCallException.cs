using System.Net;

namespace Cadre.Resilience;

/// <summary>A failure a scripted or fault-injecting model raises, shaped like a service error: a message and an
/// optional HTTP status, which resilience strategies read to decide whether to retry.</summary>
public sealed class ModelCallException : HttpRequestException
{
    /// <summary>Creates the exception with the runtime's default message and no HTTP status (so it is not treated as
    /// transient).</summary>
    public ModelCallException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelCallException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What the simulated service said went wrong.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and an HTTP status.</summary>
    public ModelCallException(string message, HttpStatusCode? statusCode)
        : base(message, null, statusCode)
    {
    }

    /// <summary>How long the service asked to wait before calling again (its Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
