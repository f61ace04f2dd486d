namespace Cadre.Memory;

/// <summary>The result of a write: what happened and the memory as it now stands.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Record">The stored memory: the new or updated one, or the existing duplicate; null when not found.</param>
public sealed record MemoryWriteResult(MemoryWriteStatus Status, MemoryRecord? Record);
