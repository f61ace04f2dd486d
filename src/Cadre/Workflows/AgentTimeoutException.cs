namespace Cadre.Workflows;

/// <summary>An agent did not finish its turn in time, or stopped showing signs of progress; the message says which
/// and how long it had.</summary>
public sealed class AgentTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with the runtime's default message; prefer one that says which agent stopped and how long it had.</summary>
    public AgentTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AgentTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which agent was stopped, and whether for its timeout or for showing no progress.</param>
    /// <param name="innerException">The cancellation it caused.</param>
    public AgentTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
