using System.ComponentModel;

namespace Cadre.Memory.Knowledge;

/// <summary>What the model is asked to return when it reads a text for the knowledge graph.</summary>
internal sealed record ExtractedKnowledge
{
    [Description("People, organisations, products, places and concepts the text is about.")]
    public List<ExtractedEntity> Entities { get; init; } = [];

    [Description("Facts stated by the text, as subject, relation, object.")]
    public List<ExtractedFact> Facts { get; init; } = [];
}

/// <summary>An entity the model found.</summary>
internal sealed record ExtractedEntity
{
    public string Name { get; init; } = "";

    [Description("person, organisation, product, place or concept")]
    public string Type { get; init; } = "";

    [Description("One sentence saying what it is (for concepts especially); may be empty.")]
    public string Description { get; init; } = "";
}

/// <summary>A fact the model found.</summary>
internal sealed record ExtractedFact
{
    public string Subject { get; init; } = "";

    [Description("A short verb phrase in snake_case, like works_at, prefers_contact, lives_in.")]
    public string Relation { get; init; } = "";

    public string Object { get; init; } = "";

    [Description("True when the object is a plain value (a date, number, word) rather than an entity.")]
    public bool ObjectIsValue { get; init; }

    [Description("True when the subject can have only one such object at a time, so this replaces any earlier one (now prefers, moved to, works at).")]
    public bool ReplacesPrevious { get; init; }

    [Description("When the fact became true, as an ISO 8601 date, if the text says; otherwise empty.")]
    public string ValidFrom { get; init; } = "";
}
