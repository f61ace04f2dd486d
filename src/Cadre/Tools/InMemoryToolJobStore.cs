namespace Cadre.Tools;

/// <summary>Background tool jobs in memory (tests, throwaway runs). Thread-safe.</summary>
public sealed class InMemoryToolJobStore : IToolJobStore
{
    private readonly Lock _gate = new();
    private readonly List<ToolJob> _jobs = [];

    /// <inheritdoc />
    public Task<ToolJob> AddAsync(ToolJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            var existing = _jobs.FirstOrDefault(j => j.Key == job.Key);
            if (existing is null)
            {
                _jobs.Add(job);
            }

            return Task.FromResult(existing ?? job);
        }
    }

    /// <inheritdoc />
    public Task UpdateAsync(ToolJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            var index = _jobs.FindIndex(j => j.Id == job.Id);
            if (index < 0)
            {
                throw new InvalidOperationException($"Unknown job '{job.Id}'.");
            }

            _jobs[index] = job;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ToolJob?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_jobs.FirstOrDefault(j => j.Id == id));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ToolJob>> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ToolJob> jobs = [.. _jobs.Where(j => j.RunId == runId)];
            return Task.FromResult(jobs);
        }
    }
}
