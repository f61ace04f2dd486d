namespace Cadre.Memory;

/// <summary>What a <see cref="MemoryWriter"/> did with one extracted fact.</summary>
public enum MemoryChangeKind
{
    /// <summary>Stored as a new memory.</summary>
    Added,

    /// <summary>An existing memory was rewritten with it.</summary>
    Updated,

    /// <summary>It showed an existing memory no longer holds; that memory was forgotten.</summary>
    Deleted,

    /// <summary>Already known; nothing changed.</summary>
    Unchanged,
}
