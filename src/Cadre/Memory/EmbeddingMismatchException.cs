namespace Cadre.Memory;

/// <summary>
/// Thrown when long-term memory would mix embedding models in one scope: vectors of different models cannot be
/// compared, so recall would silently miss the memories of the other model. The message says how to embed them again.
/// </summary>
public sealed class EmbeddingMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception; its message names the other models, how many memories each embedded, and says
    /// to run a reindex of the scope.</summary>
    /// <param name="scope">The scope whose memories were embedded by other models.</param>
    /// <param name="stored">The other models and how many memories each embedded.</param>
    /// <param name="current">The model this memory embeds with.</param>
    public EmbeddingMismatchException(MemoryScope scope, IReadOnlyDictionary<string, int> stored, string current)
        : base(Describe(scope, stored, current))
    {
        Scope = scope;
        Stored = stored;
        Current = current;
    }

    /// <summary>The scope whose stored embeddings do not match.</summary>
    public MemoryScope Scope { get; }

    /// <summary>The other models and how many memories each embedded.</summary>
    public IReadOnlyDictionary<string, int> Stored { get; }

    /// <summary>The model this memory embeds with.</summary>
    public string Current { get; }

    private static string Describe(MemoryScope scope, IReadOnlyDictionary<string, int> stored, string current) =>
        $"Memories in scope '{scope}' were embedded by {string.Join(", ", stored.Select(s => $"{s.Key} ({s.Value:N0})"))}, but this memory embeds with {current}; " +
        $"vectors of different models cannot be compared. Embed them again with `cadre memory reembed --scope {scope}` " +
        "(LongTermMemory.ReindexAsync), or keep the embedder that wrote them (--embeddings, memory.embeddings in the spec).";
}
