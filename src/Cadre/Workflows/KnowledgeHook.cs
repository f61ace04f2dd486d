using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Observability;
using Cadre.Runs;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>Runs a <see cref="KnowledgeExtractor"/> over a run's conversation when the run ends (an
/// <see cref="IRunHook"/>): the entities and facts it states go into the knowledge graph, with the run as their source.
/// Cancelled runs are skipped; the run's observer is told what was recorded.</summary>
public sealed class KnowledgeHook : IRunHook
{
    private readonly KnowledgeExtractor _extractor;
    private readonly MemoryScope _scope;

    /// <summary>Creates the hook; add it to <see cref="RunOptions.Hooks"/>.</summary>
    /// <param name="extractor">Reads the conversation with its model and records what it states in its knowledge
    /// graph.</param>
    /// <param name="scope">Where facts are recorded.</param>
    public KnowledgeHook(KnowledgeExtractor extractor, MemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(scope);
        _extractor = extractor;
        _scope = scope;
    }

    /// <inheritdoc />
    public async ValueTask OnRunFinishedAsync(FinishedRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var transcript = MessageText.Render(run.Thread.Where(m => m.Role != ChatRole.System));
        if (run.Run.Status == RunStatus.Cancelled || transcript.Length == 0)
        {
            return;
        }

        var source = new MemorySource("extractor", run.Run.Id, run.LastAgent) { Kind = MemorySourceKind.Agent };
        var result = await _extractor.ExtractAsync(transcript, _scope, source, cancellationToken);
        run.Observer.OnEvent(new RunNotice(run.Run.Id, run.Time.GetUtcNow(),
            $"knowledge: {result.Entities.Count} entit{(result.Entities.Count == 1 ? "y" : "ies")}, {result.Facts.Count(f => f.Added)} new fact(s)" +
            (result.Problems.Count > 0 ? $" ({string.Join("; ", result.Problems)})" : "")));
    }
}
