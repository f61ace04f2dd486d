using System.Text;

namespace Cadre.Memory.Knowledge;

/// <summary>A thing the knowledge graph knows about: a person, an organisation, a product, or a concept with a
/// description. Entities are identified within a scope by <see cref="Key"/>, their name folded to lower case with
/// single spaces.</summary>
public sealed record Entity
{
    /// <summary>The name as first written (<c>Ana Lima</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The scope it was written at, exactly; readers on that scope's line see it
    /// (<see cref="Cadre.Memory.MemoryScope.Sees"/>).</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>What kind of thing it is (<c>person</c>, <c>company</c>, <c>concept</c>...), "" when unknown.</summary>
    public string Type { get; init; } = "";

    /// <summary>What it is, for concepts especially.</summary>
    public string Description { get; init; } = "";

    /// <summary>When it was first recorded.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Its key (<c>ana lima</c>).</summary>
    public string Key => KeyOf(Name);

    /// <summary>The key of a name: trimmed, lower case, runs of white space as one space.</summary>
    public static string KeyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = new StringBuilder(name.Length);
        foreach (var part in name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (key.Length > 0)
            {
                key.Append(' ');
            }

            key.Append(part.ToLowerInvariant());
        }

        return key.ToString();
    }
}
