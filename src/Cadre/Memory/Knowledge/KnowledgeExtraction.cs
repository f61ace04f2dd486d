namespace Cadre.Memory.Knowledge;

/// <summary>What a <see cref="KnowledgeExtractor"/> recorded from a text.</summary>
/// <param name="Entities">The entities the model named, as stored after each was defined (unnamed ones are
/// skipped).</param>
/// <param name="Facts">The facts asserted (with what each superseded).</param>
/// <param name="Problems">What the model returned that could not be recorded, and why.</param>
public sealed record KnowledgeExtraction(IReadOnlyList<Entity> Entities, IReadOnlyList<FactWrite> Facts, IReadOnlyList<string> Problems);
