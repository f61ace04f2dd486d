using Cadre.Resilience;

namespace Cadre.Hosting;

/// <content>Dead-letter retry: <c>cadre dlq retry</c> as a call.</content>
public sealed partial class RunHost
{
    /// <summary>Retries a dead letter: resumes its run from the last checkpoint (side effects already done are not
    /// repeated), then marks the letter retried with the run's outcome.</summary>
    /// <param name="settings">The run's options (its spec comes from the run's record when empty).</param>
    /// <param name="deadLetterId">The dead letter's id or a unique prefix.</param>
    /// <param name="cancellationToken">Cancels the run; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The resumed run and its record.</returns>
    /// <exception cref="UsageException">No dead letter matches, or it was already retried or discarded.</exception>
    public async Task<RunResult> RetryDeadLetterAsync(Settings settings, string deadLetterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        DeadLetter letter;
        await using (var store = await UseWorkspaceAsync(settings, null, cancellationToken))
        {
            letter = await DeadLetterLookup.FindAsync(store.Workspace.DeadLetters, deadLetterId, cancellationToken);
        }

        if (letter.Status != DeadLetterStatus.Pending)
        {
            throw new UsageException($"Dead letter {letter.Id} was already {letter.Status.ToString().ToLowerInvariant()} ({letter.Resolution}).");
        }

        try
        {
            var result = await ResumeAsync(settings, letter.RunId, cancellationToken);
            await ResolveAsync(settings, letter);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ResolveAsync(settings, letter);
            throw;
        }
    }

    // The letter is resolved even when the retry was cancelled: the run says how far it got.
    private async Task ResolveAsync(Settings settings, DeadLetter letter)
    {
        await using var use = await UseWorkspaceAsync(settings, null, CancellationToken.None);
        var store = use.Workspace;
        var run = await store.Runs.GetRunAsync(letter.RunId, CancellationToken.None);
        var outcome = run is null ? "unknown" : RunReport.Status(run.Status);
        await store.DeadLetters.ResolveAsync(letter.Id, DeadLetterStatus.Retried, $"retried: the run is {outcome}{(run?.Error is { } error ? $" ({error})" : "")}", context.Time.GetUtcNow(), CancellationToken.None);
    }
}
