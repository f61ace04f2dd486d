namespace Cadre.Memory;

/// <summary>The result of a write: what happened and the memory as it now stands.</summary>
/// <param name="Status">Added, updated, a duplicate kept instead, or not found.</param>
/// <param name="Record">The stored memory: the new or updated one, or the existing duplicate; null when not found.</param>
public sealed record MemoryWriteResult(MemoryWriteStatus Status, MemoryRecord? Record);
