namespace Cadre.Memory.Episodes;

/// <summary>A finished run as an episode sees it before lessons are added: for hosts that give lessons of their
/// own.</summary>
/// <param name="Episode">The episode as described from the run (no lessons yet).</param>
/// <param name="RunMetadata">What the host recorded with the run.</param>
public sealed record FinishedRunSummary(Episode Episode, IReadOnlyDictionary<string, string> RunMetadata);
