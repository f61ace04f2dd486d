using Cadre.Memory;
using Cadre.Observability;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>Runs a <see cref="MemoryWriter"/> over a run's conversation when the run ends (an
/// <see cref="IRunHook"/>), so what customers and users said is remembered in the next run. Cancelled runs are
/// skipped. The run's observer is told what changed.</summary>
public sealed class MemoryWriterHook : IRunHook
{
    private readonly MemoryWriter _writer;
    private readonly MemoryScope _scope;

    /// <summary>Creates the hook; add it to <see cref="RunOptions.Hooks"/>.</summary>
    /// <param name="writer">Extracts durable facts from the conversation with its model and adds, updates or deletes
    /// long-term memories with them.</param>
    /// <param name="scope">Where memories are written.</param>
    public MemoryWriterHook(MemoryWriter writer, MemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scope);
        _writer = writer;
        _scope = scope;
    }

    /// <inheritdoc />
    public async ValueTask OnRunFinishedAsync(FinishedRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Run.Status == RunStatus.Cancelled)
        {
            return;
        }

        var source = new MemorySource("writer", run.Run.Id, run.LastAgent) { Kind = MemorySourceKind.Agent };
        var report = await _writer.WriteAsync(run.Thread, _scope, source, cancellationToken);
        var changed = report.Changes.Where(c => c.Kind != MemoryChangeKind.Unchanged).Select(c => $"{c.Kind.ToString().ToLowerInvariant()} \"{c.After?.Text ?? c.Before?.Text}\"");
        run.Observer.OnEvent(new RunNotice(run.Run.Id, run.Time.GetUtcNow(),
            $"memory: {report}{(report.Changes.Any(c => c.Kind != MemoryChangeKind.Unchanged) ? " — " + string.Join("; ", changed) : "")}" +
            (report.Problems.Count > 0 ? $" ({string.Join("; ", report.Problems)})" : "")));
    }
}
