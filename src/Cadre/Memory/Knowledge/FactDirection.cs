namespace Cadre.Memory.Knowledge;

/// <summary>Which facts of an entity to follow.</summary>
public enum FactDirection
{
    /// <summary>Facts where it is the subject.</summary>
    Outgoing,

    /// <summary>Facts where it is the object.</summary>
    Incoming,

    /// <summary>Both.</summary>
    Both,
}
