namespace Cadre.Tools;

/// <summary>Rate limits and exclusive locks for one process (tests, in-memory workspaces); the same rules as the
/// workspace stores that share them between processes.</summary>
public sealed class InMemoryToolLimitStore : IToolLimitStore
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _permits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Holder, DateTimeOffset Until)> _locks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<TimeSpan?> TryAcquireAsync(string key, ToolRateLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(limit);
        lock (_gate)
        {
            if (!_permits.TryGetValue(key, out var taken))
            {
                _permits[key] = taken = new Queue<DateTimeOffset>();
            }

            while (taken.Count > 0 && taken.Peek() <= now - limit.Window)
            {
                taken.Dequeue();
            }

            if (taken.Count >= limit.Permits)
            {
                var wait = taken.Peek() + limit.Window - now;
                return ValueTask.FromResult<TimeSpan?>(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1));
            }

            taken.Enqueue(now);
            return ValueTask.FromResult<TimeSpan?>(null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryLockAsync(string key, string holder, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(holder);
        lock (_gate)
        {
            if (_locks.TryGetValue(key, out var held) && held.Holder != holder && held.Until > now)
            {
                return ValueTask.FromResult(false);
            }

            _locks[key] = (holder, now + lease);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string key, string holder, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_locks.TryGetValue(key, out var held) && held.Holder == holder)
            {
                _locks.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }
}
