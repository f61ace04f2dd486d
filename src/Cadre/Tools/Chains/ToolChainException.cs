namespace Cadre.Tools.Chains;

/// <summary>A chain stopped: a step failed, or an argument could not be made from earlier results. The message names
/// the step, its input and the error.</summary>
public sealed class ToolChainException : Exception
{
    /// <summary>Creates the exception with the runtime's default message; prefer one that names the step and says
    /// why.</summary>
    public ToolChainException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which step stopped the chain, with its input and error.</param>
    public ToolChainException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which step stopped the chain, with its input and error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ToolChainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The chain's result up to the failure, when a step failed.</summary>
    public ToolChainResult? Result { get; init; }
}
