using Cadre.Runs;

namespace Cadre.Hosting;

/// <summary>Finds a run by id or prefix, with a clear message when none or several match.</summary>
public static class RunLookup
{
    /// <summary>Finds a run by its id, or else by a prefix that only one of the 10,000 latest runs starts with.</summary>
    /// <param name="runs">The workspace's run store; only read.</param>
    /// <param name="id">The id or a unique prefix.</param>
    /// <param name="cancellationToken">Cancels the lookup (it only reads); the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The run's record; never null (a miss throws).</returns>
    /// <exception cref="UsageException">No run, or several, match.</exception>
    public static async Task<RunRecord> FindAsync(IRunStore runs, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new UsageException("Give a run id (see: cadre runs list).");
        }

        if (await runs.GetRunAsync(id, cancellationToken) is { } run)
        {
            return run;
        }

        var matches = (await runs.ListRunsAsync(10_000, cancellationToken))
            .Where(r => r.Id.StartsWith(id, StringComparison.Ordinal)).Select(r => r.Id).Take(5).ToList();
        throw new UsageException(matches.Count > 1
            ? $"'{id}' matches several runs ({string.Join(", ", matches)}); give more of the id."
            : $"The workspace has no run '{id}' (see: cadre runs list).");
    }
}
