namespace Cadre.Tools;

/// <summary>A tool ledger in memory (tests, throwaway runs).</summary>
/// <param name="epochOf">The current epoch of a run, for fencing reservations; every run is at epoch 0 (never
/// claimed) when null. <see cref="Cadre.Workspaces.InMemoryWorkspace"/> passes its own leases.</param>
public sealed class InMemoryToolLedger(Func<string, long>? epochOf = null) : IToolLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ToolLedgerEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>The entries, recorded and pending.</summary>
    public IReadOnlyCollection<ToolLedgerEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.ToList();
            }
        }
    }

    /// <inheritdoc />
    public Task<ToolLedgerEntry?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(key, out var entry) ? entry : null);
        }
    }

    /// <inheritdoc />
    public Task<ToolReservationResult> ReserveAsync(ToolReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        lock (_gate)
        {
            var (result, write) = ToolLedgerRules.Reserve(_entries.GetValueOrDefault(reservation.Key), reservation, epochOf?.Invoke(reservation.RunId) ?? 0);
            if (write is not null)
            {
                _entries[write.Key] = write;
            }

            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task RecordAsync(ToolLedgerEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (ToolLedgerRules.Record(_entries.GetValueOrDefault(entry.Key), entry) is { } write)
            {
                _entries[write.Key] = write;
            }
        }

        return Task.CompletedTask;
    }
}
