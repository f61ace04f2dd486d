namespace Cadre.Memory;

/// <summary>What a store is asked for when recalling: the candidates of keyword search (BM25) and of vector search,
/// each ranked, within a scope and a filter. <see cref="LongTermMemory"/> fuses them.</summary>
public sealed record MemorySearch
{
    /// <summary>The reader's scope; only memories it <see cref="MemoryScope.Sees">sees</see> are candidates.</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>The query text for keyword search; no keyword candidates when empty.</summary>
    public string Text { get; init; } = "";

    /// <summary>The query embedding (unit length) for vector search; no vector candidates when empty.</summary>
    public ReadOnlyMemory<float> Vector { get; init; }

    /// <summary>The model that made <see cref="Vector"/>; only embeddings of that model are compared.</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary>Metadata, creation time, importance and trust every candidate must match (default: none).</summary>
    public MemoryFilter Filter { get; init; } = MemoryFilter.None;

    /// <summary>At most this many candidates per list.</summary>
    public int Limit { get; init; } = 50;
}
