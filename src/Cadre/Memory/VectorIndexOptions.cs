namespace Cadre.Memory;

/// <summary>How a <see cref="VectorIndex"/> searches.</summary>
public sealed record VectorIndexOptions
{
    /// <summary>From this many vectors on, a search first ranks all vectors by their int8-quantised copies (a quarter
    /// of the memory traffic of floats, compared with integer SIMD) and then re-ranks the best candidates exactly.
    /// Below it, every vector is compared exactly. Default 10,000; <see cref="int.MaxValue"/> never quantises.</summary>
    public int QuantizeAbove { get; init; } = 10_000;

    /// <summary>With quantisation, how many candidates per wanted result are re-ranked exactly (default 8, at least
    /// 100 in all).</summary>
    public int RerankFactor { get; init; } = 8;

    /// <summary>From this many vectors on, a search splits its scan over every core (default 250,000). Below it one
    /// thread scans: on a busy machine, waiting for a second core costs more than the split saves.</summary>
    public int ParallelAbove { get; init; } = 250_000;
}
