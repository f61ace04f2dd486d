namespace Cadre.Tools;

/// <summary>Tools could not be loaded from an assembly; the message says which and why.</summary>
public sealed class ToolLoadException : Exception
{
    /// <summary>Creates the exception with .NET's generic message; prefer a constructor that says which assembly or tool failed.</summary>
    public ToolLoadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which assembly, tool class or tool method could not be loaded, and why.</param>
    public ToolLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which assembly, tool class or tool method could not be loaded, and why.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ToolLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
