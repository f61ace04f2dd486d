namespace Cadre.Resilience;

/// <summary>The dead-letter queue: tasks that exhausted their retries and fallbacks, kept until someone retries or
/// discards them.</summary>
public interface IDeadLetterStore
{
    /// <summary>Stores a new dead letter, <see cref="DeadLetterStatus.Pending"/> as the run leaves it.</summary>
    /// <param name="letter">The letter to store; its <see cref="DeadLetter.Id"/> must not be in the queue yet (a
    /// duplicate id throws and changes nothing).</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when it is durable.</returns>
    Task AddAsync(DeadLetter letter, CancellationToken cancellationToken = default);

    /// <summary>Finds a dead letter by its id or a unique prefix of it.</summary>
    /// <param name="id">The id or a prefix.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The dead letter, or null.</returns>
    Task<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists dead letters, newest first.</summary>
    /// <param name="status">Only those with this status; all when null.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterStatus? status = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Marks a dead letter retried or discarded.</summary>
    /// <param name="id">The dead letter's id.</param>
    /// <param name="status"><see cref="DeadLetterStatus.Retried"/> or <see cref="DeadLetterStatus.Discarded"/>; stored
    /// as given, replacing any earlier resolution (the last call wins).</param>
    /// <param name="resolution">What became of it, for people (<c>retried: the run is completed</c>,
    /// <c>discarded: duplicate</c>); stored as the letter's <see cref="DeadLetter.Resolution"/>.</param>
    /// <param name="at">When it was resolved; stored as the letter's <see cref="DeadLetter.ResolvedAt"/>.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>True when it was found and changed.</returns>
    Task<bool> ResolveAsync(string id, DeadLetterStatus status, string resolution, DateTimeOffset at, CancellationToken cancellationToken = default);
}
