namespace Cadre.Memory;

/// <summary>How far a memory is trusted: text that a user, a model or a tool could have written is untrusted, since
/// memory poisoning (planting a false "fact" for later runs to act on) goes through exactly those.</summary>
public enum MemoryTrust
{
    /// <summary>Written from a conversation, a model or a tool: recall may exclude it, and it never silently changes a
    /// trusted memory.</summary>
    Untrusted,

    /// <summary>Written by the operator or imported by them.</summary>
    Trusted,
}
