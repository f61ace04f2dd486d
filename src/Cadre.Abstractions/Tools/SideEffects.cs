namespace Cadre.Tools;

/// <summary>What calling a tool does to the world, which decides how carefully Cadre treats it: side-effecting
/// calls are recorded in the tool ledger so a resumed or retried run does not repeat them.</summary>
public enum SideEffects
{
    /// <summary>Reads only; calling it again is harmless.</summary>
    None,

    /// <summary>Changes something that can be undone (opens a ticket, writes a draft).</summary>
    Reversible,

    /// <summary>Changes something that cannot be undone (sends an email, moves money).</summary>
    Irreversible,
}
