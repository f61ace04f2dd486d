namespace Cadre.Models;

/// <summary>A model spec is malformed or names something that is not there (an unknown provider, a missing
/// cassette). The message says what and how to write it.</summary>
public sealed class ModelSpecException : FormatException
{
    /// <summary>Creates the exception with the runtime's default message, for the standard exception pattern; Cadre
    /// always gives a message.</summary>
    public ModelSpecException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelSpecException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong with the model spec and how to write it, for people.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
