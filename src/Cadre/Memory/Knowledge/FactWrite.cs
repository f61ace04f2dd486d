namespace Cadre.Memory.Knowledge;

/// <summary>What asserting a fact did.</summary>
/// <param name="Fact">The fact as stored (the existing one when it was already known).</param>
/// <param name="Added">False when the same fact was already current: nothing changed.</param>
/// <param name="Superseded">The facts it closed.</param>
public sealed record FactWrite(Fact Fact, bool Added, IReadOnlyList<Fact> Superseded)
{
    /// <summary>Trusted (operator-written) facts an untrusted exclusive fact would have closed: they stay current beside
    /// it, so the contradiction shows instead of the operator's fact silently disappearing.</summary>
    public IReadOnlyList<Fact> Contradicted { get; init; } = [];
}
