using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;

namespace Cadre.Workspaces;

/// <summary>The stores behind a workspace's memory: one per kind of memory.</summary>
/// <param name="LongTerm">Long-term memories.</param>
/// <param name="Episodes">Episodes.</param>
/// <param name="Knowledge">The knowledge graph.</param>
/// <param name="Blackboard">Blackboards.</param>
/// <param name="Summaries">Conversation summaries (short-term memory).</param>
public sealed record MemoryStores(IMemoryStore LongTerm, IEpisodeStore Episodes, IKnowledgeStore Knowledge, IBlackboardStore Blackboard, ISummaryStore Summaries)
{
    /// <summary>Stores that keep everything in memory.</summary>
    public static MemoryStores InMemory() =>
        new(new InMemoryMemoryStore(), new InMemoryEpisodeStore(), new InMemoryKnowledgeStore(), new InMemoryBlackboardStore(), new InMemorySummaryStore());
}
