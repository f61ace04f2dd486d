using Cadre.Resilience;

namespace Cadre.Hosting;

/// <summary>Finds a dead letter by id or prefix, with a clear message when none matches.</summary>
public static class DeadLetterLookup
{
    /// <summary>Finds a dead letter in a workspace's store by its id or a prefix of it.</summary>
    /// <param name="store">The workspace's dead letters.</param>
    /// <param name="id">The id or a unique prefix.</param>
    /// <param name="cancellationToken">Cancels the lookup (it only reads); the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The dead letter; never null (a miss throws).</returns>
    /// <exception cref="UsageException">No dead letter, or several, match.</exception>
    public static async Task<DeadLetter> FindAsync(IDeadLetterStore store, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return await store.GetAsync(id, cancellationToken)
            ?? throw new UsageException($"The workspace has no dead letter '{id}' (or the prefix matches several; see: cadre dlq list --all).");
    }
}
