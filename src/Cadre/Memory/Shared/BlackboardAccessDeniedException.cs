namespace Cadre.Memory.Shared;

/// <summary>An actor tried to read or write a blackboard namespace it has no access to; the message says who, what and
/// why.</summary>
public sealed class BlackboardAccessDeniedException : UnauthorizedAccessException
{
    /// <summary>Creates the exception with the runtime's default message, for the standard exception pattern; Cadre
    /// always gives a message.</summary>
    public BlackboardAccessDeniedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BlackboardAccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Who was denied what in which namespace, and why.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public BlackboardAccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a denied access.</summary>
    public BlackboardAccessDeniedException(string actor, string @namespace, BlackboardPermission permission, string reason)
        : base($"'{actor}' may not {permission.ToString().ToLowerInvariant()} blackboard namespace '{@namespace}': {reason}.")
    {
        Actor = actor;
        Namespace = @namespace;
        Permission = permission;
    }

    /// <summary>The name of the agent denied, when known (operators are never denied).</summary>
    public string? Actor { get; }

    /// <summary>The namespace that was refused, when known.</summary>
    public string? Namespace { get; }

    /// <summary>Read or write, whichever was asked and refused; <see cref="BlackboardPermission.None"/> when not
    /// known.</summary>
    public BlackboardPermission Permission { get; }
}
