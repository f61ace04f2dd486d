namespace Cadre.Memory;

/// <summary>A vector found by <see cref="VectorIndex.Search"/>.</summary>
/// <param name="Key">The key it was added under.</param>
/// <param name="Similarity">Its cosine similarity to the query (-1 to 1).</param>
public readonly record struct VectorMatch(long Key, float Similarity);
