using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;
using Microsoft.Extensions.AI;

namespace Cadre.Workspaces;

/// <summary>
/// A workspace's memory, every kind over the workspace's stores: <see cref="LongTerm"/>, <see cref="Episodes"/>,
/// <see cref="Knowledge"/> (semantic), <see cref="Blackboard"/> (shared) and conversation <see cref="Summaries"/>
/// (short-term). Texts are embedded by one generator (the local <see cref="HashingEmbeddingGenerator"/> unless
/// another is given with <see cref="WithEmbeddings"/>). <see cref="For(MemoryScope)"/> binds it to a scope for an
/// agent: <c>agent.WithMemory(workspace.Memory.For("acme"))</c>.
/// </summary>
public sealed class WorkspaceMemory
{
    /// <summary>Creates a workspace's memory over its stores.</summary>
    /// <param name="stores">The stores every kind of memory reads and writes; this memory never disposes them.</param>
    /// <param name="embeddings">Embeds texts; the local hashing embedder when null.</param>
    /// <param name="time">The clock that stamps what is written (<see cref="TimeProvider.System"/> when null; a <c>FakeTimeProvider</c> in tests).</param>
    public WorkspaceMemory(MemoryStores stores, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(stores);
        Stores = stores;
        Embeddings = embeddings ?? HashingEmbeddingGenerator.Default;
        Time = time ?? TimeProvider.System;
        LongTerm = new LongTermMemory(stores.LongTerm, Embeddings, Time);
        Episodes = new EpisodicMemory(stores.Episodes, Embeddings, Time);
        Knowledge = new KnowledgeGraph(stores.Knowledge, Time);
    }

    /// <summary>The stores of the workspace this memory reads and writes.</summary>
    public MemoryStores Stores { get; }

    /// <summary>Embeds every text stored and every query recalled in long-term and episodic memory; the
    /// <see cref="HashingEmbeddingGenerator"/> unless another was given.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Embeddings { get; }

    /// <summary>The clock that stamps memories; a fake one in tests.</summary>
    public TimeProvider Time { get; }

    /// <summary>Long-term memory over <see cref="MemoryStores.LongTerm"/>: hybrid keyword and vector recall.</summary>
    public LongTermMemory LongTerm { get; }

    /// <summary>Episodic memory over <see cref="MemoryStores.Episodes"/>: past runs recalled as examples.</summary>
    public EpisodicMemory Episodes { get; }

    /// <summary>Semantic memory: the knowledge graph.</summary>
    public KnowledgeGraph Knowledge { get; }

    /// <summary>Running summaries of conversations.</summary>
    public ISummaryStore Summaries => Stores.Summaries;

    /// <summary>Memory kept only in this process (for tests and throwaway runs).</summary>
    public static WorkspaceMemory InMemory(TimeProvider? time = null) => new(MemoryStores.InMemory(), null, time);

    /// <summary>The same stores with another embedding generator (hybrid and vector recall refuse scopes whose
    /// memories another model embedded, with <see cref="EmbeddingMismatchException"/>, until
    /// <see cref="LongTermMemory.ReindexAsync"/> embeds them again).</summary>
    public WorkspaceMemory WithEmbeddings(IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        return new WorkspaceMemory(Stores, embeddings, Time);
    }

    /// <summary>The same stores and embedder on another clock.</summary>
    public WorkspaceMemory WithTime(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new WorkspaceMemory(Stores, Embeddings, time);
    }

    /// <summary>A blackboard of a scope, acting for an actor.</summary>
    /// <param name="board">The board (a tenant or team scope).</param>
    /// <param name="actor">Who reads and writes.</param>
    /// <param name="options">Access rules and reducers.</param>
    public Blackboard Blackboard(MemoryScope board, BlackboardActor actor, BlackboardOptions? options = null) =>
        new(Stores.Blackboard, board, actor, options, Time);

    /// <summary>This memory bound to a scope.</summary>
    public ScopedMemory For(MemoryScope scope) => new(this, scope ?? throw new ArgumentNullException(nameof(scope)));

    /// <summary>This memory bound to a tenant (and team, and agent).</summary>
    /// <param name="tenant">The tenant; not empty, letters, digits and <c>- _ . @ :</c> only.</param>
    /// <param name="team">The team, if any.</param>
    /// <param name="agent">The agent, if any.</param>
    public ScopedMemory For(string tenant, string? team = null, string? agent = null) => For(new MemoryScope(tenant, team, agent));
}
