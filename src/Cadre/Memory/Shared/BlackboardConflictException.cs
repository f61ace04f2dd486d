namespace Cadre.Memory.Shared;

/// <summary>A compare-and-set write found another version than it expected: someone wrote the key in between. Read it
/// again and retry; nothing was written.</summary>
public sealed class BlackboardConflictException : InvalidOperationException
{
    /// <summary>Creates the exception with the runtime's default message, for the standard exception pattern; Cadre
    /// always gives a message.</summary>
    public BlackboardConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BlackboardConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which key was at another version than expected, and to read it again and retry.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public BlackboardConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a version mismatch.</summary>
    /// <param name="namespace">The namespace of the key written.</param>
    /// <param name="key">The key whose version did not match.</param>
    /// <param name="expected">The version the writer expected (0: the key did not exist).</param>
    /// <param name="actual">The version found (0: the key does not exist).</param>
    public BlackboardConflictException(string @namespace, string key, long expected, long actual)
        : base($"Blackboard key '{@namespace}/{key}' is at version {actual}, not {expected}: it was written in between. Read it again and retry.")
    {
        Namespace = @namespace;
        Key = key;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The namespace of the entry that changed, when known.</summary>
    public string? Namespace { get; }

    /// <summary>The key of the entry that changed, when known.</summary>
    public string? Key { get; }

    /// <summary>The version the writer expected (0: that the key did not exist); 0 when not known.</summary>
    public long Expected { get; }

    /// <summary>The version the key was at (0: it did not exist); 0 when not known.</summary>
    public long Actual { get; }
}
