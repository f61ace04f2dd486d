namespace Cadre.Resilience;

/// <summary>Thrown by a test's <see cref="IFaultInjector"/> to stand for the process dying at a fault point. The
/// runtime lets it through every handler without writing anything (no failed status, no released lease), so what is
/// left in the workspace is what a <c>kill -9</c> there would leave.</summary>
public sealed class CrashException : Exception
{
    /// <summary>Creates a crash at an unnamed point, with the message "simulated crash".</summary>
    public CrashException()
        : base("simulated crash")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Where the crash was.</param>
    public CrashException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Where the crash was.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public CrashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
