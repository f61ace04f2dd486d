namespace Cadre.Memory.Shared;

/// <summary>A write a store makes atomically: check the version, compute the new value from the current entry, store
/// it with the next version, and append the audit entry.</summary>
/// <param name="Board">The board, as its scope path (<c>acme/support</c>).</param>
/// <param name="Namespace">The namespace of the key; access was checked by the <see cref="Blackboard"/>.</param>
/// <param name="Key">The key to write, within <paramref name="Namespace"/>.</param>
/// <param name="ExpectedVersion">When set, the version the key must be at (0: it must not exist), else the write
/// fails with <see cref="BlackboardConflictException"/>.</param>
/// <param name="Compute">Makes the new value (JSON text) from the current entry (null when the key is new). Called
/// inside the store's transaction: it must be quick and have no side effects.</param>
/// <param name="Actor">The name of the agent or operator writing, recorded as the entry's last writer and in the
/// audit trail.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
public sealed record BlackboardWrite(string Board, string Namespace, string Key, long? ExpectedVersion, Func<BlackboardEntry?, string> Compute, string Actor, DateTimeOffset At);
