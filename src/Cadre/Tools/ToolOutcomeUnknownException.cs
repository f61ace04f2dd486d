namespace Cadre.Tools;

/// <summary>A side-effecting call was not made because an earlier owner of the run reserved it and stopped before
/// recording its outcome, and the tool is not declared idempotent: repeating it could do its effect twice. The run
/// escalates to a person, who checks whether it happened (<see cref="Entry"/> says what was called).</summary>
public sealed class ToolOutcomeUnknownException : InvalidOperationException
{
    /// <summary>Creates the exception for a call whose key an earlier owner reserved and never recorded; the message names the tool, key and arguments.</summary>
    /// <param name="entry">The pending ledger entry.</param>
    public ToolOutcomeUnknownException(ToolLedgerEntry entry)
        : base(Describe(entry))
    {
        Entry = entry;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ToolOutcomeUnknownException()
        : this("the outcome of a tool call is unknown")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Says which call's outcome is unknown; <see cref="Entry"/> is null.</param>
    public ToolOutcomeUnknownException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Says which call's outcome is unknown; <see cref="Entry"/> is null.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ToolOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The pending ledger entry, when known.</summary>
    public ToolLedgerEntry? Entry { get; }

    private static string Describe(ToolLedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return $"the outcome of {entry.Tool} ({entry.Key}, arguments {entry.Arguments}) is unknown: the process making it stopped " +
            "after reserving it and before recording it, and the tool is not idempotent, so it was not repeated. Check whether it happened, " +
            "then answer the escalation (or resume with --repeat-unknown to make it again under the same key)";
    }
}
