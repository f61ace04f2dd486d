namespace Cadre.Memory.Shared;

/// <summary>What an actor may do in a blackboard namespace.</summary>
[Flags]
public enum BlackboardPermission
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Read keys and their audit trail.</summary>
    Read = 1,

    /// <summary>Write keys.</summary>
    Write = 2,

    /// <summary>Both.</summary>
    ReadWrite = Read | Write,
}
