using System.Collections.Concurrent;

namespace Cadre.Tools;

/// <summary>A tool ledger in memory (tests, throwaway runs).</summary>
public sealed class InMemoryToolLedger : IToolLedger
{
    private readonly ConcurrentDictionary<string, ToolLedgerEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>The recorded entries.</summary>
    public IReadOnlyCollection<ToolLedgerEntry> Entries => _entries.Values.ToList();

    /// <inheritdoc />
    public Task<ToolLedgerEntry?> FindAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_entries.TryGetValue(key, out var entry) ? entry : null);

    /// <inheritdoc />
    public Task RecordAsync(ToolLedgerEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.TryAdd(entry.Key, entry);
        return Task.CompletedTask;
    }
}
