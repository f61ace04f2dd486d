namespace Cadre.Memory;

/// <summary>What a <see cref="MemoryWriter"/> did with a turn.</summary>
/// <param name="Changes">One change per extracted fact.</param>
/// <param name="Problems">What the model returned that could not be used, and what was done instead.</param>
public sealed record MemoryWriteReport(IReadOnlyList<MemoryChange> Changes, IReadOnlyList<string> Problems)
{
    /// <summary>How many changes of a kind.</summary>
    public int Count(MemoryChangeKind kind) => Changes.Count(c => c.Kind == kind);

    /// <summary>One line: <c>added 1, updated 0, deleted 0, unchanged 2</c>.</summary>
    public override string ToString() =>
        $"added {Count(MemoryChangeKind.Added)}, updated {Count(MemoryChangeKind.Updated)}, deleted {Count(MemoryChangeKind.Deleted)}, unchanged {Count(MemoryChangeKind.Unchanged)}";
}
