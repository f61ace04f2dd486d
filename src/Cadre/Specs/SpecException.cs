namespace Cadre.Specs;

/// <summary>A spec is malformed or inconsistent. The message starts with the file, line and column, then says what
/// is wrong and how to fix it.</summary>
public sealed class SpecException : Exception
{
    /// <summary>Creates the exception with the runtime's default message, for the standard exception pattern; Cadre
    /// always gives a message.</summary>
    public SpecException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SpecException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The whole message: the file (and place, when known), what is wrong and how to fix it.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a place in a spec.</summary>
    /// <param name="location">Where the problem is.</param>
    /// <param name="problem">What is wrong and how to fix it, without the location; the message puts the location in
    /// front.</param>
    /// <param name="innerException">The cause, if any.</param>
    public SpecException(SpecLocation location, string problem, Exception? innerException = null)
        : base($"{location}: {problem}", innerException)
    {
        Location = location;
        Problem = problem;
    }

    /// <summary>Where the problem is.</summary>
    public SpecLocation? Location { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string? Problem { get; }
}
