namespace Cadre.Memory.Knowledge;

/// <summary>Keeps the knowledge graph: entities and facts, scoped like every memory. Implementations: in memory and
/// the workspace's SQLite file; both pass the same contract tests.</summary>
public interface IKnowledgeStore
{
    /// <summary>Adds an entity, or updates the one with the same key in the same scope: a non-empty name, type or
    /// description replaces the stored one; its creation time stays.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The entity as stored.</returns>
    Task<Entity> UpsertEntityAsync(Entity entity, CancellationToken cancellationToken = default);

    /// <summary>Reads the entities with these keys that the scope sees.</summary>
    /// <param name="scope">The reader's scope.</param>
    /// <param name="keys">The keys.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entities (one per key and scope).</returns>
    Task<IReadOnlyList<Entity>> GetEntitiesAsync(MemoryScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Finds entities whose name or description contains a text (ignoring case).</summary>
    /// <param name="scope">The reader's scope.</param>
    /// <param name="text">The text.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entities, names containing the text first.</returns>
    Task<IReadOnlyList<Entity>> FindEntitiesAsync(MemoryScope scope, string text, int limit = 20, CancellationToken cancellationToken = default);

    /// <summary>Records a fact in one transaction: when the same fact (scope, subject, relation, object) is current,
    /// nothing changes; when <paramref name="exclusive"/>, the current facts of the same subject and relation in the
    /// scope are closed at the new fact's <see cref="Fact.ValidFrom"/> and point at it.</summary>
    /// <param name="fact">The fact.</param>
    /// <param name="exclusive">Whether the relation holds one object at a time.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What happened.</returns>
    Task<FactWrite> AssertAsync(Fact fact, bool exclusive, CancellationToken cancellationToken = default);

    /// <summary>Closes a current fact: it stops being true at <paramref name="at"/> (it is not erased).</summary>
    /// <param name="factId">The fact.</param>
    /// <param name="scope">The reader's scope.</param>
    /// <param name="at">When it stopped being true.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The closed fact, or null when no current fact with that id is visible.</returns>
    Task<Fact?> RetractAsync(string factId, MemoryScope scope, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Reads facts.</summary>
    /// <param name="query">Which.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The facts, oldest first.</returns>
    Task<IReadOnlyList<Fact>> FactsAsync(FactQuery query, CancellationToken cancellationToken = default);
}
