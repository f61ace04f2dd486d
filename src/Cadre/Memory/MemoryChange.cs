namespace Cadre.Memory;

/// <summary>One change a <see cref="MemoryWriter"/> made.</summary>
/// <param name="Kind">What it did.</param>
/// <param name="Fact">The extracted fact.</param>
/// <param name="Before">The memory before (updated or deleted), if any.</param>
/// <param name="After">The memory after (added or updated), if any.</param>
public sealed record MemoryChange(MemoryChangeKind Kind, string Fact, MemoryRecord? Before, MemoryRecord? After);
