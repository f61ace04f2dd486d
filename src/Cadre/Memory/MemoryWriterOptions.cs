namespace Cadre.Memory;

/// <summary>How a <see cref="MemoryWriter"/> works.</summary>
public sealed record MemoryWriterOptions
{
    /// <summary>How many existing memories each new fact is compared with (default 3).</summary>
    public int Candidates { get; init; } = 3;

    /// <summary>Existing memories less related than this (fused relevance, 0..1) are not offered for comparison
    /// (default 0.3).</summary>
    public double MinRelevance { get; init; } = 0.3;

    /// <summary>At most this many facts per turn (default 10).</summary>
    public int MaxFacts { get; init; } = 10;

    /// <summary>Metadata added to every memory written.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
