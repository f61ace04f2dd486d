namespace Cadre.Memory.Benchmarks;

/// <summary>How much synthetic LoCoMo-layout data to write.</summary>
public sealed record LocomoGeneratorOptions
{
    /// <summary>Conversations (default 3).</summary>
    public int Samples { get; init; } = 3;

    /// <summary>Sessions per conversation (default 19, as in LoCoMo).</summary>
    public int Sessions { get; init; } = 19;

    /// <summary>Turns per session (default 16: about 300 turns a conversation, as in LoCoMo).</summary>
    public int TurnsPerSession { get; init; } = 16;

    /// <summary>Questions per conversation (default 40).</summary>
    public int Questions { get; init; } = 40;

    /// <summary>The random seed (the same seed writes the same data).</summary>
    public int Seed { get; init; } = 7;
}
