namespace Cadre.Memory.Episodes;

/// <summary>Keeps episodes. Reads name a <see cref="MemoryScope"/> and see what <see cref="MemoryScope.Sees"/> allows.
/// Implementations: in memory and the workspace's SQLite file; both pass the same contract tests.</summary>
public interface IEpisodeStore
{
    /// <summary>Stores an episode, replacing one with the same id in the same scope (a resumed run is recorded
    /// again).</summary>
    /// <param name="episode">The episode, with its embedding.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when it is stored.</returns>
    Task SaveAsync(Episode episode, CancellationToken cancellationToken = default);

    /// <summary>Reads one episode by its id, with its embedding.</summary>
    /// <param name="id">The episode's id (the run's id for an episode recorded from a run).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The episode, or null when none is visible.</returns>
    Task<Episode?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default);

    /// <summary>Lists the episodes visible in a scope, most recently recorded first, with their embeddings.</summary>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<Episode>> ListAsync(MemoryScope scope, int limit = 100, CancellationToken cancellationToken = default);
}
