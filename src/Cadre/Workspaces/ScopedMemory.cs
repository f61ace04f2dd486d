using Cadre.Memory;

namespace Cadre.Workspaces;

/// <summary>A workspace's memory bound to one scope: what an agent is given
/// (<c>agent.WithMemory(workspace.Memory.For("acme"))</c>), with shortcuts for its long-term memory.</summary>
/// <param name="Memory">The workspace's memory whose stores, embedder and clock every call uses.</param>
/// <param name="Scope">The scope every read and write uses.</param>
public sealed record ScopedMemory(WorkspaceMemory Memory, MemoryScope Scope)
{
    /// <summary>Stores a long-term memory in the scope.</summary>
    /// <param name="text">What to remember; trimmed, not blank, at most <see cref="LongTermMemory.MaxTextLength"/>
    /// characters. Nothing new is stored when an exact duplicate is already in the scope.</param>
    /// <param name="metadata">Labels that <see cref="MemoryFilter.Metadata"/> matches exactly; none when null.</param>
    /// <param name="importance">How much it matters, 0..1.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    public Task<MemoryWriteResult> RememberAsync(string text, IReadOnlyDictionary<string, string>? metadata = null, double importance = 0.5, CancellationToken cancellationToken = default) =>
        Memory.LongTerm.StoreAsync(text, metadata, Scope, importance, null, cancellationToken);

    /// <summary>Recalls long-term memories visible in the scope.</summary>
    /// <param name="query">The text searched for; a blank one recalls nothing.</param>
    /// <param name="k">At most this many, best first; fewer when fewer match.</param>
    /// <param name="filter">Metadata, time window, importance and trust conditions a memory must meet;
    /// <see cref="MemoryFilter.None"/> when null.</param>
    /// <param name="cancellationToken">Cancels the recall; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The memories, best first.</returns>
    public Task<IReadOnlyList<RecalledMemory>> RecallAsync(string query, int k = 5, MemoryFilter? filter = null, CancellationToken cancellationToken = default) =>
        Memory.LongTerm.RecallAsync(query, Scope, k, filter, cancellationToken);
}
