namespace Cadre.Memory;

/// <summary>One change a <see cref="MemoryWriter"/> made.</summary>
/// <param name="Kind">Whether the fact was added, updated a memory, deleted one, or changed nothing.</param>
/// <param name="Fact">The fact as the model extracted it from the turn, one sentence.</param>
/// <param name="Before">The memory before (updated or deleted), if any.</param>
/// <param name="After">The memory after (added or updated), if any.</param>
public sealed record MemoryChange(MemoryChangeKind Kind, string Fact, MemoryRecord? Before, MemoryRecord? After);
