namespace Cadre.Memory.Shared;

/// <summary>One write in a blackboard's append-only audit trail: who changed which key, when, from what to what.</summary>
/// <param name="Sequence">Its place in the trail.</param>
/// <param name="Board">The board written, as its scope path (<c>acme/support</c>).</param>
/// <param name="Namespace">The namespace of the key written.</param>
/// <param name="Key">The key written, within <paramref name="Namespace"/>.</param>
/// <param name="Version">The version the write made.</param>
/// <param name="Actor">The name of the agent or operator that wrote.</param>
/// <param name="At">When it happened, by the clock of the process that recorded it.</param>
/// <param name="OldJson">The value before (null when the key was new).</param>
/// <param name="NewJson">The value as written, as JSON text (<c>null</c> for JSON null).</param>
public sealed record BlackboardAuditEntry(long Sequence, string Board, string Namespace, string Key, long Version, string Actor, DateTimeOffset At, string? OldJson, string NewJson);
