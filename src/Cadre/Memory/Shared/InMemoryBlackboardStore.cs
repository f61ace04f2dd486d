namespace Cadre.Memory.Shared;

/// <summary>Blackboards kept in memory. Thread-safe; each write is atomic.</summary>
public sealed class InMemoryBlackboardStore : IBlackboardStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Board, string Namespace, string Key), BlackboardEntry> _entries = [];
    private readonly List<BlackboardAuditEntry> _audit = [];

    /// <inheritdoc />
    public Task<BlackboardEntry?> GetAsync(string board, string @namespace, string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.GetValueOrDefault((board, @namespace, key)));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BlackboardEntry>> ListAsync(string board, string? @namespace = null, string? prefix = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<BlackboardEntry> entries = _entries.Values
                .Where(e => e.Board == board && (@namespace is null || e.Namespace == @namespace) && (prefix is null || e.Key.StartsWith(prefix, StringComparison.Ordinal)))
                .OrderBy(e => e.Namespace, StringComparer.Ordinal)
                .ThenBy(e => e.Key, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(entries);
        }
    }

    /// <inheritdoc />
    public Task<BlackboardEntry> WriteAsync(BlackboardWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            var current = _entries.GetValueOrDefault((write.Board, write.Namespace, write.Key));
            var version = current?.Version ?? 0;
            if (write.ExpectedVersion is { } expected && expected != version)
            {
                throw new BlackboardConflictException(write.Namespace, write.Key, expected, version);
            }

            var json = write.Compute(current);
            var entry = new BlackboardEntry(write.Board, write.Namespace, write.Key, json, version + 1, write.At, write.Actor);
            _entries[(write.Board, write.Namespace, write.Key)] = entry;
            _audit.Add(new BlackboardAuditEntry(_audit.Count + 1, write.Board, write.Namespace, write.Key, entry.Version, write.Actor, write.At, current?.Json, json));
            return Task.FromResult(entry);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BlackboardAuditEntry>> AuditAsync(string board, string? @namespace = null, string? key = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<BlackboardAuditEntry> entries = _audit
                .Where(a => a.Board == board && (@namespace is null || a.Namespace == @namespace) && (key is null || a.Key == key))
                .OrderByDescending(a => a.Sequence)
                .Take(limit)
                .ToList();
            return Task.FromResult(entries);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListBoardsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<string> boards = _entries.Keys.Select(k => k.Board).Concat(_audit.Select(a => a.Board))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return Task.FromResult(boards);
        }
    }
}
