namespace Cadre.Specs;

/// <summary>A text from a spec with where it was written, so a later check can point at it.</summary>
/// <param name="Value">The scalar as YAML read it (quotes removed, not trimmed).</param>
/// <param name="Location">Where it was written.</param>
public sealed record SpecValue(string Value, SpecLocation Location)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
