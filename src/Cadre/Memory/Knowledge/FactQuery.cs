namespace Cadre.Memory.Knowledge;

/// <summary>Which facts to read: those touching some entities (in a direction), of a relation, at a time.</summary>
public sealed record FactQuery
{
    /// <summary>The reader's scope; only facts it <see cref="MemoryScope.Sees">sees</see> are read.</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>Entity keys the facts must touch; all facts when null.</summary>
    public IReadOnlyCollection<string>? Entities { get; init; }

    /// <summary>How the facts touch <see cref="Entities"/>.</summary>
    public FactDirection Direction { get; init; } = FactDirection.Outgoing;

    /// <summary>Only this relation (canonical form), when set.</summary>
    public string? Relation { get; init; }

    /// <summary>Only facts valid at this time; current facts when null (unless <see cref="IncludeHistory"/>).</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Every fact, current or superseded, when true (and <see cref="At"/> is null).</summary>
    public bool IncludeHistory { get; init; }

    /// <summary>At most this many.</summary>
    public int Limit { get; init; } = 1_000;

    /// <summary>True when <paramref name="fact"/> answers the query.</summary>
    public bool Matches(Fact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!Scope.Sees(fact.Scope) || (Relation is not null && fact.Relation != Relation))
        {
            return false;
        }

        if (At is { } at ? !fact.IsValidAt(at) : !IncludeHistory && !fact.IsCurrent)
        {
            return false;
        }

        return Entities is null || Direction switch
        {
            FactDirection.Outgoing => Entities.Contains(fact.SubjectKey),
            FactDirection.Incoming => fact.ObjectIsEntity && Entities.Contains(fact.ObjectKey),
            _ => Entities.Contains(fact.SubjectKey) || (fact.ObjectIsEntity && Entities.Contains(fact.ObjectKey)),
        };
    }
}
