namespace Cadre.Memory.Knowledge;

/// <summary>Keeps the knowledge graph: entities and facts, scoped like every memory. Implementations: in memory and
/// the workspace's SQLite file; both pass the same contract tests.</summary>
public interface IKnowledgeStore
{
    /// <summary>Adds an entity, or updates the one with the same key in the same scope: a non-empty name, type or
    /// description replaces the stored one; its creation time stays.</summary>
    /// <param name="entity">The entity, found by its <see cref="Entity.Key"/> and scope.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The entity as stored.</returns>
    Task<Entity> UpsertEntityAsync(Entity entity, CancellationToken cancellationToken = default);

    /// <summary>Reads the entities with these keys that the scope sees.</summary>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="keys">Entity keys (<see cref="Entity.KeyOf"/>: trimmed, lower case, single spaces); unknown
    /// keys are left out.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The entities (one per key and scope).</returns>
    Task<IReadOnlyList<Entity>> GetEntitiesAsync(MemoryScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Finds entities whose name or description contains a text (ignoring case).</summary>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="text">The part of a name or description to look for, compared ignoring case.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The entities, names containing the text first.</returns>
    Task<IReadOnlyList<Entity>> FindEntitiesAsync(MemoryScope scope, string text, int limit = 20, CancellationToken cancellationToken = default);

    /// <summary>Records a fact in one transaction: when the same fact (scope, subject, relation, object) is current,
    /// nothing changes; when <paramref name="exclusive"/>, the current facts of the same subject and relation in the
    /// scope are closed at the new fact's <see cref="Fact.ValidFrom"/> and point at it.</summary>
    /// <param name="fact">The new fact with its id, scope, canonical relation and validity.</param>
    /// <param name="exclusive">Whether the relation holds one object at a time.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    Task<FactWrite> AssertAsync(Fact fact, bool exclusive, CancellationToken cancellationToken = default);

    /// <summary>Closes a current fact: it stops being true at <paramref name="at"/> (it is not erased).</summary>
    /// <param name="factId">The fact's full id (<c>f-</c> and 16 hex digits).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="at">When it stopped being true.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The closed fact, or null when no current fact with that id is visible.</returns>
    Task<Fact?> RetractAsync(string factId, MemoryScope scope, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Reads the facts that answer a query (see <see cref="FactQuery.Matches"/>).</summary>
    /// <param name="query">The scope, entities and direction, relation, time or history, and the most to return.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The facts, oldest first.</returns>
    Task<IReadOnlyList<Fact>> FactsAsync(FactQuery query, CancellationToken cancellationToken = default);

    /// <summary>Stores a fact exactly as another store recorded it (its id, validity in time and supersession), to copy
    /// a workspace; a tenant's whole graph is read with <see cref="FactsAsync"/> at the tenant's scope with
    /// <see cref="FactQuery.IncludeHistory"/>. When a fact with the same id is already stored, nothing changes unless
    /// the stored one is current and the given one closed: then it is closed the same way (copying again carries
    /// retractions and supersessions over). The default asserts a new fact (not exclusively) and retracts a closed one,
    /// which keeps ids and validity but not <see cref="Fact.SupersededBy"/>, and skips a current fact equal to a current
    /// one already there; the built-in stores keep everything.</summary>
    /// <param name="fact">The fact as recorded.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>Whether the fact was added or closed.</returns>
    async Task<bool> ImportFactAsync(Fact fact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var there = (await FactsAsync(new FactQuery { Scope = fact.Scope, IncludeHistory = true, Limit = int.MaxValue }, cancellationToken))
            .FirstOrDefault(f => f.Id == fact.Id);
        if (there is not null)
        {
            return there.IsCurrent && fact.ValidTo is { } to && await RetractAsync(fact.Id, fact.Scope, to, cancellationToken) is not null;
        }

        return (await AssertAsync(fact, exclusive: false, cancellationToken)).Added;
    }
}
