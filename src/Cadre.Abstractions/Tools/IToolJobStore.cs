namespace Cadre.Tools;

/// <summary>Keeps background tool jobs, so they survive the process: a resumed run finds the jobs its calls started.</summary>
public interface IToolJobStore
{
    /// <summary>Adds a job unless one with its key exists.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The stored job: <paramref name="job"/>, or the one already stored under its key.</returns>
    Task<ToolJob> AddAsync(ToolJob job, CancellationToken cancellationToken = default);

    /// <summary>Replaces a job's state (status, result, end).</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when it is stored.</returns>
    Task UpdateAsync(ToolJob job, CancellationToken cancellationToken = default);

    /// <summary>Finds a job by id.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The job, or null.</returns>
    Task<ToolJob?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The jobs of a run, oldest first.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<ToolJob>> ListAsync(string runId, CancellationToken cancellationToken = default);
}
