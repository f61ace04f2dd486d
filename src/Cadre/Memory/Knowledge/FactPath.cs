using System.Text;

namespace Cadre.Memory.Knowledge;

/// <summary>A chain of facts from one entity to another. Each hop may follow a fact forward (subject to object) or
/// backward.</summary>
/// <param name="Hops">The facts in order, each with whether it is followed forward.</param>
public sealed record FactPath(IReadOnlyList<(Fact Fact, bool Forward)> Hops)
{
    /// <summary>The path as a line: <c>John —works_at→ Acme ←customer_of— Ana</c>.</summary>
    public override string ToString()
    {
        if (Hops.Count == 0)
        {
            return "";
        }

        var first = Hops[0];
        var text = new StringBuilder(first.Forward ? first.Fact.Subject : first.Fact.Object);
        foreach (var (fact, forward) in Hops)
        {
            text.Append(forward ? $" —{fact.Relation}→ {fact.Object}" : $" ←{fact.Relation}— {fact.Subject}");
        }

        return text.ToString();
    }
}
