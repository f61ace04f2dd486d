namespace Cadre.Memory.Knowledge;

/// <summary>
/// Semantic memory: a knowledge graph of entities and concepts with descriptions, and facts subject —relation→ object
/// with provenance and validity in time. A fact is superseded without being erased, so what was true on a given date
/// stays answerable. Queries: the facts of a subject (optionally of one relation, at a date), the entities related to
/// one in either direction, and the paths of up to N hops between two entities.
/// </summary>
public sealed class KnowledgeGraph
{
    private readonly TimeProvider _time;

    /// <summary>Creates the graph over a store.</summary>
    /// <param name="store">Where entities and facts are kept.</param>
    /// <param name="time">The clock that stamps what is written (<see cref="TimeProvider.System"/> when null; a <c>FakeTimeProvider</c> in tests).</param>
    public KnowledgeGraph(IKnowledgeStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Where the entities and relations are kept.</summary>
    public IKnowledgeStore Store { get; }

    /// <summary>Records an entity or a concept (or adds a type or description to a known one).</summary>
    /// <param name="name">Its name, trimmed; any case and spacing of it names the same entity.</param>
    /// <param name="scope">The scope to write at, exactly; an entity with the same key there is updated.</param>
    /// <param name="type">What kind of thing it is (<c>person</c>, <c>product</c>, <c>concept</c>); null or empty keeps
    /// the stored one.</param>
    /// <param name="description">One sentence on what it is (for concepts); null or empty keeps the stored one.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The entity as stored.</returns>
    public Task<Entity> DefineAsync(string name, MemoryScope scope, string? type = null, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scope);
        var now = MemoryClock.Now(_time);
        return Store.UpsertEntityAsync(new Entity
        {
            Name = name.Trim(),
            Scope = scope,
            Type = type?.Trim() ?? "",
            Description = description?.Trim() ?? "",
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
    }

    /// <summary>Asserts a fact; its subject (and object, when it is an entity) are recorded as entities.</summary>
    /// <param name="subject">The subject's name, recorded as an entity; any case and spacing names the same one.</param>
    /// <param name="relation">The relation (put in canonical form: <c>prefers contact</c> → <c>prefers_contact</c>).</param>
    /// <param name="object">The object: an entity's name or a value.</param>
    /// <param name="scope">The scope to write at, exactly; an exclusive fact closes only the current facts there.</param>
    /// <param name="options">Value or entity, exclusive, validity, provenance.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    public async Task<FactWrite> AssertAsync(string subject, string relation, string @object, MemoryScope scope, FactOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(@object);
        ArgumentNullException.ThrowIfNull(scope);
        options ??= new FactOptions();
        var canonical = Fact.RelationOf(relation ?? "");
        if (canonical.Length == 0)
        {
            throw new ArgumentException("A fact needs a relation made of letters or digits.", nameof(relation));
        }

        if (double.IsNaN(options.Confidence) || options.Confidence is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Confidence, "Confidence is a number from 0 to 1.");
        }

        await DefineAsync(subject, scope, options.SubjectType, null, cancellationToken);
        if (!options.ObjectIsValue)
        {
            await DefineAsync(@object, scope, options.ObjectType, null, cancellationToken);
        }

        // Memory poisoning: an untrusted fact (a conversation, a model, a tool) never closes a trusted one.
        var source = options.Source ?? MemorySource.Api;
        var exclusive = options.Exclusive;
        IReadOnlyList<Fact> contradicted = [];
        if (exclusive && source.Trust != MemoryTrust.Trusted)
        {
            contradicted = [.. (await FactsAboutAsync(subject, scope, canonical, cancellationToken: cancellationToken))
                .Where(f => f.Source?.Trust == MemoryTrust.Trusted && !string.Equals(f.Object, @object.Trim(), StringComparison.OrdinalIgnoreCase))];
            exclusive = contradicted.Count == 0;
        }

        var now = MemoryClock.Now(_time);
        var written = await Store.AssertAsync(new Fact
        {
            Id = Fact.NewId(),
            Scope = scope,
            Subject = subject.Trim(),
            Relation = canonical,
            Object = @object.Trim(),
            ObjectIsEntity = !options.ObjectIsValue,
            ValidFrom = options.ValidFrom is { } from ? MemoryClock.Truncate(from) : now,
            RecordedAt = now,
            Source = source,
            Confidence = options.Confidence,
        }, exclusive, cancellationToken);
        return contradicted.Count == 0 ? written : written with { Contradicted = contradicted };
    }

    /// <summary>Says a fact stopped being true (it is kept, closed).</summary>
    /// <param name="factId">The fact's full id (<c>f-</c> and 16 hex digits).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="at">When it stopped; now when null.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The closed fact, or null when no current fact with that id is visible.</returns>
    public Task<Fact?> RetractAsync(string factId, MemoryScope scope, DateTimeOffset? at = null, CancellationToken cancellationToken = default) =>
        Store.RetractAsync(factId, scope, at is { } t ? MemoryClock.Truncate(t) : MemoryClock.Now(_time), cancellationToken);

    /// <summary>Reads an entity by name.</summary>
    /// <param name="name">The name (any case and spacing).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The entity (the one stored closest to the scope), or null.</returns>
    public async Task<Entity?> GetEntityAsync(string name, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = await Store.GetEntitiesAsync(scope, [Entity.KeyOf(name)], cancellationToken);
        return found.OrderByDescending(e => e.Scope == scope).ThenByDescending(e => e.Scope.Agent.Length + e.Scope.Team.Length).FirstOrDefault();
    }

    /// <summary>Finds entities by part of their name or description.</summary>
    /// <param name="text">The part of a name or description to look for, compared ignoring case.</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    public Task<IReadOnlyList<Entity>> FindEntitiesAsync(string text, MemoryScope scope, int limit = 20, CancellationToken cancellationToken = default) =>
        Store.FindEntitiesAsync(scope, text, limit, cancellationToken);

    /// <summary>The facts whose subject is <paramref name="subject"/>.</summary>
    /// <param name="subject">The subject's name (any case and spacing).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="relation">Only this relation, when given.</param>
    /// <param name="at">The facts true at this time; the current facts when null.</param>
    /// <param name="includeHistory">Also the superseded facts (when <paramref name="at"/> is null).</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The facts, oldest first.</returns>
    public Task<IReadOnlyList<Fact>> FactsAboutAsync(string subject, MemoryScope scope, string? relation = null, DateTimeOffset? at = null, bool includeHistory = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Store.FactsAsync(new FactQuery
        {
            Scope = scope,
            Entities = [Entity.KeyOf(subject)],
            Direction = FactDirection.Outgoing,
            Relation = relation is null ? null : Fact.RelationOf(relation),
            At = at,
            IncludeHistory = includeHistory,
        }, cancellationToken);
    }

    /// <summary>The entities related to <paramref name="entity"/> by current facts (or facts true at a time).</summary>
    /// <param name="entity">The entity's name (any case and spacing).</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="direction">Facts where it is the subject, the object, or both.</param>
    /// <param name="relation">Only this relation, when given.</param>
    /// <param name="at">At this time; now when null.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The related entities, one per fact.</returns>
    public async Task<IReadOnlyList<RelatedEntity>> RelatedAsync(string entity, MemoryScope scope, FactDirection direction = FactDirection.Both, string? relation = null, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var key = Entity.KeyOf(entity);
        var facts = await Store.FactsAsync(new FactQuery
        {
            Scope = scope,
            Entities = [key],
            Direction = direction,
            Relation = relation is null ? null : Fact.RelationOf(relation),
            At = at,
        }, cancellationToken);
        var related = new List<RelatedEntity>();
        foreach (var fact in facts.Where(f => f.ObjectIsEntity))
        {
            if (direction != FactDirection.Incoming && fact.SubjectKey == key)
            {
                related.Add(new RelatedEntity(fact.Object, fact.Relation, FactDirection.Outgoing, fact));
            }

            if (direction != FactDirection.Outgoing && fact.ObjectKey == key)
            {
                related.Add(new RelatedEntity(fact.Subject, fact.Relation, FactDirection.Incoming, fact));
            }
        }

        return related;
    }

    /// <summary>The paths of at most <paramref name="maxHops"/> facts (followed in either direction) from one entity to
    /// another, shortest first; no path visits an entity twice.</summary>
    /// <param name="from">The start entity's name.</param>
    /// <param name="to">The end entity's name.</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="maxHops">The longest path (1 to 6).</param>
    /// <param name="at">Over the facts true at this time; the current facts when null.</param>
    /// <param name="maxPaths">At most this many paths.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>.</param>
    public async Task<IReadOnlyList<FactPath>> PathsAsync(string from, string to, MemoryScope scope, int maxHops = 3, DateTimeOffset? at = null, int maxPaths = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHops, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxHops, 6);
        const int MaxPartialPaths = 20_000;
        var start = Entity.KeyOf(from);
        var goal = Entity.KeyOf(to);
        var found = new List<FactPath>();
        var partial = new List<(string End, List<(Fact, bool)> Hops, HashSet<string> Seen)> { (start, [], [start]) };
        for (var hop = 1; hop <= maxHops && partial.Count > 0 && found.Count < maxPaths; hop++)
        {
            var ends = partial.Select(p => p.End).ToHashSet(StringComparer.Ordinal);
            var facts = await Store.FactsAsync(new FactQuery { Scope = scope, Entities = ends, Direction = FactDirection.Both, At = at, Limit = int.MaxValue }, cancellationToken);
            var byEnd = new Dictionary<string, List<(Fact Fact, bool Forward, string Next)>>(StringComparer.Ordinal);
            foreach (var fact in facts.Where(f => f.ObjectIsEntity))
            {
                Add(byEnd, fact.SubjectKey, (fact, true, fact.ObjectKey));
                Add(byEnd, fact.ObjectKey, (fact, false, fact.SubjectKey));
            }

            var next = new List<(string, List<(Fact, bool)>, HashSet<string>)>();
            foreach (var (end, hops, seen) in partial)
            {
                foreach (var (fact, forward, neighbour) in byEnd.GetValueOrDefault(end) ?? [])
                {
                    if (seen.Contains(neighbour))
                    {
                        continue;
                    }

                    var path = new List<(Fact, bool)>(hops) { (fact, forward) };
                    if (neighbour == goal)
                    {
                        found.Add(new FactPath(path));
                        if (found.Count >= maxPaths)
                        {
                            break;
                        }
                    }
                    else if (next.Count < MaxPartialPaths)
                    {
                        next.Add((neighbour, path, [.. seen, neighbour]));
                    }
                }
            }

            partial = next;
        }

        return found;
    }

    private static void Add(Dictionary<string, List<(Fact, bool, string)>> byEnd, string key, (Fact, bool, string) edge)
    {
        if (!byEnd.TryGetValue(key, out var list))
        {
            list = [];
            byEnd[key] = list;
        }

        list.Add(edge);
    }
}
