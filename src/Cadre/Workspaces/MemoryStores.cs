using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;

namespace Cadre.Workspaces;

/// <summary>The stores behind a workspace's memory: one per kind of memory.</summary>
/// <param name="LongTerm">Long-term memories: texts with metadata and embeddings, searched by keyword and vector.</param>
/// <param name="Episodes">Episodes: what past runs did and how they ended, recalled as examples.</param>
/// <param name="Knowledge">Semantic memory: the knowledge graph's entities and facts, facts valid in time.</param>
/// <param name="Blackboard">Shared memory: blackboards' versioned keys and their append-only audit trail.</param>
/// <param name="Summaries">Conversation summaries (short-term memory).</param>
public sealed record MemoryStores(IMemoryStore LongTerm, IEpisodeStore Episodes, IKnowledgeStore Knowledge, IBlackboardStore Blackboard, ISummaryStore Summaries)
{
    /// <summary>Stores that keep everything in memory.</summary>
    public static MemoryStores InMemory() =>
        new(new InMemoryMemoryStore(), new InMemoryEpisodeStore(), new InMemoryKnowledgeStore(), new InMemoryBlackboardStore(), new InMemorySummaryStore());
}
