namespace Cadre.Memory.Shared;

/// <summary>Keeps blackboards: keys with versioned JSON values and an append-only audit trail. A write is atomic
/// (version check, new value, audit entry), so concurrent writers lose nothing. Access rules are the
/// <see cref="Blackboard"/>'s job. Implementations: in memory and the workspace's SQLite file; both pass the same
/// contract tests.</summary>
public interface IBlackboardStore
{
    /// <summary>Reads a key's current value, version and last writer.</summary>
    /// <param name="board">The board, as its scope path (<c>acme/support</c>).</param>
    /// <param name="namespace">The namespace the key is in.</param>
    /// <param name="key">The key, compared exactly.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The entry, or null when the key was never written.</returns>
    Task<BlackboardEntry?> GetAsync(string board, string @namespace, string key, CancellationToken cancellationToken = default);

    /// <summary>Lists keys, by namespace then key.</summary>
    /// <param name="board">The board, as its scope path (<c>acme/support</c>).</param>
    /// <param name="namespace">Only this namespace, when set.</param>
    /// <param name="prefix">Only keys starting with this, when set.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<BlackboardEntry>> ListAsync(string board, string? @namespace = null, string? prefix = null, CancellationToken cancellationToken = default);

    /// <summary>Writes a key atomically (see <see cref="BlackboardWrite"/>).</summary>
    /// <param name="write">What to write and how: expected version, how to compute the value, who and when.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The entry as written.</returns>
    /// <exception cref="BlackboardConflictException">The key is not at the expected version; nothing was written.</exception>
    Task<BlackboardEntry> WriteAsync(BlackboardWrite write, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit trail, newest first.</summary>
    /// <param name="board">The board, as its scope path (<c>acme/support</c>).</param>
    /// <param name="namespace">Only this namespace, when set.</param>
    /// <param name="key">Only this key, when set.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<BlackboardAuditEntry>> AuditAsync(string board, string? @namespace = null, string? key = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Lists the boards that hold at least one key (or audit entry), ordered by name: with
    /// <see cref="ListAsync"/> and <see cref="AuditAsync"/> it reads everything the store holds, which is how
    /// <c>cadre workspace migrate</c> copies blackboards.</summary>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<string>> ListBoardsAsync(CancellationToken cancellationToken = default);
}
