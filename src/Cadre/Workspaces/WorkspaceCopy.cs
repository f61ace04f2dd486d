using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;
using Cadre.Runs;
using Cadre.Tools;

namespace Cadre.Workspaces;

/// <summary>
/// Copies one workspace into another through the store interfaces alone (SQLite to PostgreSQL and back, say), keeping
/// run ids: runs with their steps, threads, checkpoints and pending calls, their audit entries, ledger records, jobs and
/// conversation summaries; dead letters; the long-term memories and episodes of the given tenants. Copying again
/// copies only what is new: runs and dead letters already in the target are left as they are, and memories already
/// there are exact duplicates the target skips; the knowledge graph of the given tenants (entities, and every fact with its
/// id and validity in time, closed ones included), facts already there by id being skipped; every blackboard, replaying its
/// audit trail so values, versions and audit entries arrive as they were, from the version the target holds.
/// </summary>
public static class WorkspaceCopy
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/>.</summary>
    /// <param name="source">The workspace to copy from (read only).</param>
    /// <param name="target">The workspace to copy into.</param>
    /// <param name="tenants">The tenants whose memories and episodes to copy.</param>
    /// <param name="cancellationToken">Cancels the copy; what was copied stays.</param>
    public static async Task<WorkspaceCopyReport> CopyAsync(IWorkspace source, IWorkspace target, IReadOnlyList<string> tenants, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(tenants);
        int copied = 0, there = 0;
        foreach (var run in (await source.Runs.ListRunsAsync(int.MaxValue, cancellationToken)).Reverse())
        {
            if ((await target.Runs.GetRunAsync(run.Id, cancellationToken))?.Id == run.Id)
            {
                there++;
                continue;
            }

            await CopyRunAsync(source, target, run, cancellationToken);
            copied++;
        }

        var letters = 0;
        foreach (var letter in (await source.DeadLetters.ListAsync(null, int.MaxValue, cancellationToken)).Reverse())
        {
            if ((await target.DeadLetters.GetAsync(letter.Id, cancellationToken))?.Id != letter.Id)
            {
                await target.DeadLetters.AddAsync(letter, cancellationToken);
                letters++;
            }
        }

        int memories = 0, episodes = 0, facts = 0;
        foreach (var scope in tenants.Distinct(StringComparer.Ordinal).Select(t => new MemoryScope(t)))
        {
            memories += await CopyMemoriesAsync(source.Memory.Stores.LongTerm, target.Memory.Stores.LongTerm, scope, cancellationToken);
            foreach (var episode in (await source.Memory.Stores.Episodes.ListAsync(scope, int.MaxValue, cancellationToken)).Reverse())
            {
                await target.Memory.Stores.Episodes.SaveAsync(episode, cancellationToken);
                episodes++;
            }

            facts += await CopyKnowledgeAsync(source.Memory.Stores.Knowledge, target.Memory.Stores.Knowledge, scope, cancellationToken);
        }

        var writes = await CopyBlackboardsAsync(source.Memory.Stores.Blackboard, target.Memory.Stores.Blackboard, cancellationToken);
        return new WorkspaceCopyReport(copied, there, letters, memories, episodes, facts, writes);
    }

    private static async Task CopyRunAsync(IWorkspace source, IWorkspace target, RunRecord run, CancellationToken cancellationToken)
    {
        var steps = await source.Runs.GetStepsAsync(run.Id, cancellationToken);
        var checkpoint = await source.Runs.GetCheckpointAsync(run.Id, cancellationToken);
        var thread = checkpoint?.Thread ?? await source.Conversations.LoadAsync(run.Id, cancellationToken);
        var state = checkpoint?.State ?? new WorkflowState { Task = run.Task };
        // The thread is the task's messages followed by every step's; the store keeps one checkpoint, the latest.
        var first = thread.Take(Math.Max(0, thread.Count - steps.Sum(s => s.Messages.Count))).ToList();
        // Step commits are fenced (the checkpoint must be at the step before), so the checkpoint walks up with them and
        // ends at the source's.
        await target.Runs.CreateRunAsync(run with { Usage = default, Steps = 0 }, first,
            state with { PendingToolCalls = [], Step = steps.Count > 0 ? steps[0].Index - 1 : state.Step }, cancellationToken);
        for (var i = 0; i < steps.Count; i++)
        {
            var after = i == steps.Count - 1 ? state : state with { Step = steps[i].Index };
            await target.Runs.CommitStepAsync(new StepCommit(steps[i], steps[i].Messages, after with { PendingToolCalls = [] }), cancellationToken);
        }

        await target.Runs.UpdateRunAsync(run, 0, cancellationToken); // the copy was never claimed in the target
        foreach (var call in state.PendingToolCalls)
        {
            await target.Runs.AddPendingToolCallAsync(run.Id, call, cancellationToken);
        }

        foreach (var entry in await source.Audit.QueryAsync(new AuditQuery { RunId = run.Id, Limit = int.MaxValue }, cancellationToken))
        {
            await target.Audit.AppendAsync(entry, cancellationToken);
            if (await source.Ledger.FindAsync(entry.Key, cancellationToken) is { } recorded)
            {
                await target.Ledger.RecordAsync(recorded, cancellationToken);
            }
        }

        foreach (var job in await source.Jobs.ListAsync(run.Id, cancellationToken))
        {
            await target.Jobs.AddAsync(job, cancellationToken);
        }

        if (await source.Memory.Stores.Summaries.GetAsync(run.Id, cancellationToken) is { } summary)
        {
            await target.Memory.Stores.Summaries.SaveAsync(summary, cancellationToken);
        }
    }

    private static async Task<int> CopyMemoriesAsync(IMemoryStore source, IMemoryStore target, MemoryScope tenant, CancellationToken cancellationToken)
    {
        const int Page = 500;
        var added = 0;
        for (var offset = 0; ; offset += Page)
        {
            var page = await source.ListAsync(tenant, null, Page, offset, cancellationToken);
            var whole = new List<MemoryRecord>(page.Count);
            foreach (var record in page)
            {
                // Lists leave embeddings out; a read brings the memory whole, its embedder's name included.
                whole.Add(await source.GetAsync(record.Id, record.Scope, cancellationToken) ?? record);
            }

            added += (await target.AddRangeAsync(whole, cancellationToken)).Count(r => r.Status == MemoryWriteStatus.Added);
            if (page.Count < Page)
            {
                return added;
            }
        }
    }

    private static async Task<int> CopyKnowledgeAsync(IKnowledgeStore source, IKnowledgeStore target, MemoryScope tenant, CancellationToken cancellationToken)
    {
        foreach (var entity in await source.FindEntitiesAsync(tenant, "", int.MaxValue, cancellationToken))
        {
            await target.UpsertEntityAsync(entity, cancellationToken);
        }

        var added = 0;
        foreach (var fact in await source.FactsAsync(new FactQuery { Scope = tenant, IncludeHistory = true, Limit = int.MaxValue }, cancellationToken))
        {
            added += await target.ImportFactAsync(fact, cancellationToken) ? 1 : 0;
        }

        return added;
    }

    private static async Task<int> CopyBlackboardsAsync(IBlackboardStore source, IBlackboardStore target, CancellationToken cancellationToken)
    {
        var replayed = 0;
        foreach (var board in await source.ListBoardsAsync(cancellationToken))
        {
            // The audit trail holds every write (version, actor, time, value); replaying the writes the target lacks, oldest
            // first, rebuilds values, versions and audit. A key the target moved on its own (a version it wrote) is left alone.
            var versions = new Dictionary<(string Namespace, string Key), long>();
            foreach (var entry in (await source.AuditAsync(board, null, null, int.MaxValue, cancellationToken)).Reverse())
            {
                var id = (entry.Namespace, entry.Key);
                if (!versions.TryGetValue(id, out var version))
                {
                    version = (await target.GetAsync(board, entry.Namespace, entry.Key, cancellationToken))?.Version ?? 0;
                }

                if (entry.Version == version + 1)
                {
                    var json = entry.NewJson;
                    await target.WriteAsync(new BlackboardWrite(board, entry.Namespace, entry.Key, version, _ => json, entry.Actor, entry.At), cancellationToken);
                    version++;
                    replayed++;
                }

                versions[id] = version;
            }
        }

        return replayed;
    }
}
