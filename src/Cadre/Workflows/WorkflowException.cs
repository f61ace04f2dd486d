namespace Cadre.Workflows;

/// <summary>A workflow could not go on (step limit, handoff limit, an unknown agent); the message says why.</summary>
public sealed class WorkflowException : Exception
{
    /// <summary>Creates the exception with the runtime's default message; prefer one that says why the workflow
    /// stopped.</summary>
    public WorkflowException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the workflow stopped.</param>
    public WorkflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Why the workflow stopped.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public WorkflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
