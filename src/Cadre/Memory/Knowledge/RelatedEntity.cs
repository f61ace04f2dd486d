namespace Cadre.Memory.Knowledge;

/// <summary>An entity related to another by a fact.</summary>
/// <param name="Name">The related entity's name.</param>
/// <param name="Relation">The fact's relation in canonical form (<c>prefers_contact</c>).</param>
/// <param name="Direction"><see cref="FactDirection.Outgoing"/> when the asked entity is the fact's subject,
/// <see cref="FactDirection.Incoming"/> when it is the object.</param>
/// <param name="Fact">The fact that relates them.</param>
public sealed record RelatedEntity(string Name, string Relation, FactDirection Direction, Fact Fact);
