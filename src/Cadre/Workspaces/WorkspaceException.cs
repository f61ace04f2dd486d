namespace Cadre.Workspaces;

/// <summary>A workspace database cannot be used: it is damaged, not a Cadre workspace, or from a newer Cadre. Nothing in
/// it was changed; the message says what to do.</summary>
public sealed class WorkspaceException : Exception
{
    /// <summary>Creates the exception with the runtime's default message; prefer a constructor that says what is
    /// wrong.</summary>
    public WorkspaceException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WorkspaceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong with the database and what to do about it (restore a copy, upgrade
    /// Cadre).</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public WorkspaceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
