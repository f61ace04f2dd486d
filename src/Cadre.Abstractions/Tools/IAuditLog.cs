namespace Cadre.Tools;

/// <summary>An append-only record of every tool call that went through the governed path, denied and failed ones
/// included.</summary>
public interface IAuditLog
{
    /// <summary>Appends one finished tool call to the end of the log; entries are never changed or removed.</summary>
    /// <param name="entry">The call as it ended, already redacted by the governed path.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Reads entries in the order they were appended (the last <see cref="AuditQuery.Limit"/> that match).</summary>
    /// <param name="query">Which entries (run, tool, agent, status; null filters match all) and how many of the
    /// latest.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
