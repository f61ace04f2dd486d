namespace Cadre.Memory;

/// <summary>How far <see cref="LongTermMemory.ReindexAsync"/> has come.</summary>
/// <param name="Done">Memories embedded again so far.</param>
/// <param name="Total">Memories to embed again in this call.</param>
public sealed record ReindexProgress(int Done, int Total);
