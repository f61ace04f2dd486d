namespace Cadre.Testing;

/// <summary>A replayed model was asked something its cassette did not record. The message says which conversation
/// missed and how to configure a real model; a replay never invents an answer.</summary>
public sealed class ReplayMissException : InvalidOperationException
{
    /// <summary>Creates the exception with the runtime's default message.</summary>
    public ReplayMissException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which conversation missed and how to configure a real model.</param>
    public ReplayMissException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which conversation missed and how to configure a real model.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ReplayMissException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
