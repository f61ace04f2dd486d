namespace Cadre.Tools;

/// <summary>Keeps background tool jobs, so they survive the process: a resumed run finds the jobs its calls started.</summary>
public interface IToolJobStore
{
    /// <summary>Adds a job unless one with its key exists.</summary>
    /// <param name="job">The new job, <see cref="ToolJobStatus.Running"/>, with its id made by
    /// <see cref="ToolJob.IdFor"/> from its key.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The stored job: <paramref name="job"/>, or the one already stored under its key.</returns>
    Task<ToolJob> AddAsync(ToolJob job, CancellationToken cancellationToken = default);

    /// <summary>Replaces a job's state (status, result, end).</summary>
    /// <param name="job">The job as it now stands, found by its <see cref="ToolJob.Id"/>; the runner writes it once,
    /// when the job finishes or is cancelled.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>A task that completes when it is stored.</returns>
    Task UpdateAsync(ToolJob job, CancellationToken cancellationToken = default);

    /// <summary>Finds a job by id.</summary>
    /// <param name="id">The job's full id (<c>job-</c> and ten hex digits), as the model was told it.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The job, or null.</returns>
    Task<ToolJob?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The jobs of a run, oldest first.</summary>
    /// <param name="runId">The run whose jobs to list; <c>""</c> lists the jobs started outside a run.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    Task<IReadOnlyList<ToolJob>> ListAsync(string runId, CancellationToken cancellationToken = default);
}
