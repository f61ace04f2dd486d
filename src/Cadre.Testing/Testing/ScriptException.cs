namespace Cadre.Testing;

/// <summary>A scripted model was asked for a reply it does not have (the script ran out, or the wrong agent asked).</summary>
public sealed class ScriptException : InvalidOperationException
{
    /// <summary>Creates the exception with the runtime's default message.</summary>
    public ScriptException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which call found no reply left, or which agent asked for another agent's reply.</param>
    public ScriptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which call found no reply left, or which agent asked for another agent's reply.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ScriptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
