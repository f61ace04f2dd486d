using System.Security.Cryptography;
using System.Text;

namespace Cadre.Memory.Knowledge;

/// <summary>
/// A fact: subject —relation→ object, with where it came from and when it was true. A fact is never erased by a newer
/// one: it is closed (<see cref="ValidTo"/>) and points at what <see cref="SupersededBy">superseded</see> it, so "what
/// was true on date D" stays answerable.
/// </summary>
public sealed record Fact
{
    /// <summary>The fact's id (<c>f-</c> and 16 hex digits).</summary>
    public required string Id { get; init; }

    /// <summary>The scope it was written at, exactly; readers on that scope's line see it
    /// (<see cref="Cadre.Memory.MemoryScope.Sees"/>).</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>The subject entity's name.</summary>
    public required string Subject { get; init; }

    /// <summary>The relation, in lower case with underscores (<c>prefers_contact</c>).</summary>
    public required string Relation { get; init; }

    /// <summary>The object: an entity's name, or a value when <see cref="ObjectIsEntity"/> is false.</summary>
    public required string Object { get; init; }

    /// <summary>True when the object is an entity (a node of the graph); false for a plain value (a date, an
    /// amount, a word).</summary>
    public bool ObjectIsEntity { get; init; } = true;

    /// <summary>When it became true: the date given when it was asserted, else when it was recorded.</summary>
    public DateTimeOffset ValidFrom { get; init; }

    /// <summary>When it stopped being true; null while it is.</summary>
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>When the graph stored it, by its clock to the millisecond; differs from <see cref="ValidFrom"/> when a
    /// fact is recorded as true from an earlier date.</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>The fact that replaced it, if one did.</summary>
    public string? SupersededBy { get; init; }

    /// <summary>What wrote it, which decides how far it is trusted: an untrusted fact never closes a trusted
    /// one.</summary>
    public MemorySource? Source { get; init; }

    /// <summary>How sure the source was, 0..1 (default 1).</summary>
    public double Confidence { get; init; } = 1;

    /// <summary>The subject's name as an entity key (trimmed, lower case, single spaces): what queries match on.</summary>
    public string SubjectKey => Entity.KeyOf(Subject);

    /// <summary>The object's key (for an entity) or the value.</summary>
    public string ObjectKey => ObjectIsEntity ? Entity.KeyOf(Object) : Object;

    /// <summary>True while the fact holds.</summary>
    public bool IsCurrent => ValidTo is null;

    /// <summary>True when the fact held at <paramref name="time"/>.</summary>
    public bool IsValidAt(DateTimeOffset time) => ValidFrom <= time && (ValidTo is null || time < ValidTo);

    /// <summary>A new fact id.</summary>
    public static string NewId() => "f-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A relation name in canonical form: lower case, words joined by underscores.</summary>
    /// <param name="relation">The relation as written (<c>Prefers contact</c>).</param>
    /// <returns>The canonical form (<c>prefers_contact</c>).</returns>
    public static string RelationOf(string relation)
    {
        ArgumentNullException.ThrowIfNull(relation);
        var text = new StringBuilder(relation.Length);
        foreach (var c in relation.Trim())
        {
            text.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return string.Join('_', text.ToString().Split('_', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The fact as a line: <c>Ana Lima —prefers_contact→ phone</c>.</summary>
    public override string ToString() => $"{Subject} —{Relation}→ {Object}";
}
