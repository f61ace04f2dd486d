namespace Cadre.Hosting;

/// <summary>The host or command was used wrongly (the <c>cadre</c> command exits with 2): a run, dead letter or file that
/// does not exist, a spec that cannot serve what was asked. The message says how to use it.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with the runtime's default message (prefer one that says how to use it).</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and how to do it instead; the <c>cadre</c> command prints it as it is.</param>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and how to do it instead; the <c>cadre</c> command prints it as it is.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
