namespace Cadre.Tools;

/// <summary>
/// Remembers completed side-effecting tool calls by idempotency key, so a resumed or retried run gets the recorded
/// result instead of doing the side effect again (an email is sent once, however often the step is replayed).
/// </summary>
public interface IToolLedger
{
    /// <summary>Finds a recorded call.</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or null.</returns>
    Task<ToolLedgerEntry?> FindAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Records a completed call; a second record under the same key keeps the first.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is durable.</returns>
    Task RecordAsync(ToolLedgerEntry entry, CancellationToken cancellationToken = default);
}
