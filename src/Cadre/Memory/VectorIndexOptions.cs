namespace Cadre.Memory;

/// <summary>How a <see cref="VectorIndex"/> searches.</summary>
public sealed record VectorIndexOptions
{
    /// <summary>From this many vectors on, a search first ranks all vectors by the Hamming distance of their sign bits
    /// (binary quantisation, 32 times less memory traffic) and then re-ranks the best candidates exactly. Below it,
    /// every vector is compared exactly. Default 150,000; <see cref="int.MaxValue"/> never quantises.</summary>
    public int QuantizeAbove { get; init; } = 150_000;

    /// <summary>With quantisation, how many candidates per wanted result are re-ranked exactly (default 40, at least
    /// 400 in all).</summary>
    public int RerankFactor { get; init; } = 40;

    /// <summary>From this many vectors on, a search uses every core (default 20,000).</summary>
    public int ParallelAbove { get; init; } = 20_000;
}
