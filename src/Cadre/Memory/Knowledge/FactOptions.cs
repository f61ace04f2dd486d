namespace Cadre.Memory.Knowledge;

/// <summary>How a fact is asserted.</summary>
public sealed record FactOptions
{
    /// <summary>The object is a plain value (a date, an amount, a word), not an entity.</summary>
    public bool ObjectIsValue { get; init; }

    /// <summary>The relation holds one object at a time for a subject: the current ones are superseded (closed, not
    /// erased). "Now prefers Go" supersedes "prefers Python".</summary>
    public bool Exclusive { get; init; }

    /// <summary>When the fact became true; now when null.</summary>
    public DateTimeOffset? ValidFrom { get; init; }

    /// <summary>What wrote the fact, which decides how far it is trusted; <see cref="MemorySource.Api"/> (untrusted)
    /// when null.</summary>
    public MemorySource? Source { get; init; }

    /// <summary>How sure the source was, 0..1.</summary>
    public double Confidence { get; init; } = 1;

    /// <summary>The subject's type, recorded on its entity when given.</summary>
    public string? SubjectType { get; init; }

    /// <summary>The object's type, recorded on its entity when given.</summary>
    public string? ObjectType { get; init; }
}
