namespace Cadre.Memory;

/// <summary>What a write to long-term memory did.</summary>
public enum MemoryWriteStatus
{
    /// <summary>A new memory was stored.</summary>
    Added,

    /// <summary>An exact duplicate already existed in the same scope; it was kept and nothing was stored.</summary>
    Duplicate,

    /// <summary>An existing memory was changed.</summary>
    Updated,

    /// <summary>No memory with that id is visible in the scope; nothing changed.</summary>
    NotFound,
}
