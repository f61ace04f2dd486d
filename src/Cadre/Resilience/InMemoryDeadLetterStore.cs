using System.Collections.Concurrent;

namespace Cadre.Resilience;

/// <summary>A dead-letter queue in memory (tests, throwaway runs). Thread-safe.</summary>
public sealed class InMemoryDeadLetterStore : IDeadLetterStore
{
    private readonly ConcurrentDictionary<string, DeadLetter> _letters = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task AddAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        if (!_letters.TryAdd(letter.Id, letter))
        {
            throw new InvalidOperationException($"A dead letter with id '{letter.Id}' already exists.");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_letters.TryGetValue(id, out var letter))
        {
            return Task.FromResult<DeadLetter?>(letter);
        }

        var matches = _letters.Values.Where(l => l.Id.StartsWith(id, StringComparison.Ordinal)).Take(2).ToList();
        return Task.FromResult(matches.Count == 1 ? matches[0] : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterStatus? status = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<DeadLetter> letters = _letters.Values
            .Where(l => status is null || l.Status == status)
            .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult(letters);
    }

    /// <inheritdoc />
    public Task<bool> ResolveAsync(string id, DeadLetterStatus status, string resolution, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        while (_letters.TryGetValue(id, out var letter))
        {
            if (_letters.TryUpdate(id, letter with { Status = status, Resolution = resolution, ResolvedAt = at }, letter))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }
}
