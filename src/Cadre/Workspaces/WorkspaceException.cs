namespace Cadre.Workspaces;

/// <summary>A workspace database cannot be used: it is damaged, not a Cadre workspace, or from a newer Cadre. Nothing in
/// it was changed; the message says what to do.</summary>
public sealed class WorkspaceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkspaceException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WorkspaceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public WorkspaceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
