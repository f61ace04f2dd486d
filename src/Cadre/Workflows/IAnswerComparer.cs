namespace Cadre.Workflows;

/// <summary>Decides which answers say the same thing, for <see cref="Consensus"/>.</summary>
public interface IAnswerComparer
{
    /// <summary>Groups answers that agree.</summary>
    /// <param name="answers">The trimmed answers of the voters that answered (failed and empty ones left out), in
    /// voter order; never empty.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>For each answer, the index of its group (groups numbered from 0 in order of first appearance).</returns>
    ValueTask<IReadOnlyList<int>> GroupAsync(IReadOnlyList<string> answers, CancellationToken cancellationToken = default);
}
