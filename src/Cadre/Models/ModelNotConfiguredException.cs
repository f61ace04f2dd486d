namespace Cadre.Models;

/// <summary>Thrown by a provider of <see cref="ModelOptions.Providers"/> when its link cannot serve in this
/// environment (an unset key, say). <see cref="ModelChain"/> does not fail on it: the link is kept as unable to serve,
/// with the message as its reason, and a fallback chain moves on to the next link.</summary>
public sealed class ModelNotConfiguredException : Exception
{
    /// <summary>Creates the exception with the runtime's default message, for the standard exception pattern; providers
    /// always give a reason.</summary>
    public ModelNotConfiguredException()
    {
    }

    /// <summary>Creates the exception with the reason the link cannot serve.</summary>
    /// <param name="message">Why, for people: <c>OPENAI_API_KEY is not set</c>.</param>
    public ModelNotConfiguredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and a cause.</summary>
    /// <param name="message">Why the link cannot serve, for people.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelNotConfiguredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
