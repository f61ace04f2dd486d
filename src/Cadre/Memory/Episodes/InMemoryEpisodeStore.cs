namespace Cadre.Memory.Episodes;

/// <summary>Episodes kept in memory. Thread-safe.</summary>
public sealed class InMemoryEpisodeStore : IEpisodeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(MemoryScope Scope, string Id), (long Order, Episode Episode)> _episodes = [];
    private long _order;

    /// <inheritdoc />
    public Task SaveAsync(Episode episode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(episode);
        lock (_gate)
        {
            _episodes[(episode.Scope, episode.Id)] = (++_order, episode with { Embedding = episode.Embedding.ToArray() });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Episode?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scope);
        lock (_gate)
        {
            return Task.FromResult(_episodes.Values.Where(e => e.Episode.Id == id && scope.Sees(e.Episode.Scope)).OrderByDescending(e => e.Order).Select(e => e.Episode).FirstOrDefault());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Episode>> ListAsync(MemoryScope scope, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        lock (_gate)
        {
            IReadOnlyList<Episode> episodes = _episodes.Values
                .Where(e => scope.Sees(e.Episode.Scope))
                .OrderByDescending(e => e.Episode.RecordedAt)
                .ThenByDescending(e => e.Order)
                .Take(limit)
                .Select(e => e.Episode)
                .ToList();
            return Task.FromResult(episodes);
        }
    }
}
