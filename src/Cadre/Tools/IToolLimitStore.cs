namespace Cadre.Tools;

/// <summary>
/// Limits that hold across every process sharing a workspace: rate limits (at most so many calls per window) and
/// exclusive tools (one call at a time, with a lease so a crashed holder cannot block others for ever). Times come
/// from the caller's clock, so the same tests drive every implementation with a <c>FakeTimeProvider</c>.
/// </summary>
public interface IToolLimitStore
{
    /// <summary>Takes one permit of a rate limit if one is free: at most <paramref name="limit"/>'s permits in any
    /// window ending now, counted over every process using the store.</summary>
    /// <param name="key">What is limited (<c>rate:send_email</c>, <c>rate:send_email:billing</c>).</param>
    /// <param name="limit">At most <see cref="ToolRateLimit.Permits"/> calls in any <see cref="ToolRateLimit.Window"/>.</param>
    /// <param name="now">The caller's clock reading, which ends the window; the store never reads a clock of its own.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>Null when the permit was taken; else how long until one is free.</returns>
    ValueTask<TimeSpan?> TryAcquireAsync(string key, ToolRateLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Takes an exclusive lock if it is free, expired, or already held by <paramref name="holder"/>.</summary>
    /// <param name="key">What is locked (<c>lock:reindex</c>).</param>
    /// <param name="holder">Who takes it (unique per call).</param>
    /// <param name="now">The caller's clock reading; a lock whose lease ended before it counts as free.</param>
    /// <param name="lease">How long the lock holds unless released (a crashed holder's lock ends then).</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>True when <paramref name="holder"/> now holds the lock.</returns>
    ValueTask<bool> TryLockAsync(string key, string holder, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Releases a lock if <paramref name="holder"/> holds it.</summary>
    /// <param name="key">The lock's key, as given to <see cref="TryLockAsync"/>.</param>
    /// <param name="holder">The holder given to <see cref="TryLockAsync"/>; a lock held by another holder is left alone.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when released.</returns>
    ValueTask ReleaseAsync(string key, string holder, CancellationToken cancellationToken = default);
}
