namespace Cadre.Memory.Shared;

/// <summary>What an actor may do in a blackboard namespace.</summary>
[Flags]
public enum BlackboardPermission
{
    /// <summary>No permission; a rule with it changes no read or write.</summary>
    None = 0,

    /// <summary>Read keys and their audit trail.</summary>
    Read = 1,

    /// <summary>Write keys (reading them needs <see cref="Read"/> as well).</summary>
    Write = 2,

    /// <summary>Read and write keys.</summary>
    ReadWrite = Read | Write,
}
