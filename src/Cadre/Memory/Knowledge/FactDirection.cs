namespace Cadre.Memory.Knowledge;

/// <summary>Which facts of an entity to follow.</summary>
public enum FactDirection
{
    /// <summary>Facts where it is the subject.</summary>
    Outgoing,

    /// <summary>Facts where it is the object.</summary>
    Incoming,

    /// <summary>Facts where it is the subject or the object.</summary>
    Both,
}
