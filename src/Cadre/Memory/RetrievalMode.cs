namespace Cadre.Memory;

/// <summary>Which searches recall uses.</summary>
public enum RetrievalMode
{
    /// <summary>Keyword (BM25) and vector search, fused (see <see cref="MemoryQuery.Fusion"/>).</summary>
    Hybrid,

    /// <summary>Keyword search (BM25) only.</summary>
    Keyword,

    /// <summary>Vector search only: memories embedded by the current model, nearest first.</summary>
    Vector,
}
