namespace Cadre.Memory.Knowledge;

/// <summary>The knowledge graph kept in memory. Thread-safe.</summary>
public sealed class InMemoryKnowledgeStore : IKnowledgeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(MemoryScope Scope, string Key), Entity> _entities = [];
    private readonly List<Fact> _facts = [];

    /// <inheritdoc />
    public Task<Entity> UpsertEntityAsync(Entity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        lock (_gate)
        {
            var stored = _entities.TryGetValue((entity.Scope, entity.Key), out var old)
                ? old with
                {
                    Name = string.IsNullOrWhiteSpace(entity.Name) ? old.Name : entity.Name,
                    Type = string.IsNullOrWhiteSpace(entity.Type) ? old.Type : entity.Type,
                    Description = string.IsNullOrWhiteSpace(entity.Description) ? old.Description : entity.Description,
                    UpdatedAt = entity.UpdatedAt,
                }
                : entity;
            _entities[(entity.Scope, entity.Key)] = stored;
            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Entity>> GetEntitiesAsync(MemoryScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            IReadOnlyList<Entity> found = _entities.Values.Where(e => scope.Sees(e.Scope) && keys.Contains(e.Key)).OrderBy(e => e.CreatedAt).ToList();
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Entity>> FindEntitiesAsync(MemoryScope scope, string text, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            IReadOnlyList<Entity> found = _entities.Values
                .Where(e => scope.Sees(e.Scope) &&
                            (e.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || e.Description.Contains(text, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(e => e.Name.Contains(text, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                .ThenBy(e => e.Name.Length)
                .ThenBy(e => e.Key, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc />
    public Task<FactWrite> AssertAsync(Fact fact, bool exclusive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fact);
        lock (_gate)
        {
            var same = _facts.FirstOrDefault(f => f.IsCurrent && f.Scope == fact.Scope && f.SubjectKey == fact.SubjectKey &&
                                                  f.Relation == fact.Relation && f.ObjectIsEntity == fact.ObjectIsEntity && f.ObjectKey == fact.ObjectKey);
            if (same is not null)
            {
                return Task.FromResult(new FactWrite(same, false, []));
            }

            var superseded = new List<Fact>();
            if (exclusive)
            {
                for (var i = 0; i < _facts.Count; i++)
                {
                    var f = _facts[i];
                    if (f.IsCurrent && f.Scope == fact.Scope && f.SubjectKey == fact.SubjectKey && f.Relation == fact.Relation)
                    {
                        _facts[i] = f with { ValidTo = f.ValidFrom > fact.ValidFrom ? f.ValidFrom : fact.ValidFrom, SupersededBy = fact.Id };
                        superseded.Add(_facts[i]);
                    }
                }
            }

            _facts.Add(fact);
            return Task.FromResult(new FactWrite(fact, true, superseded));
        }
    }

    /// <inheritdoc />
    public Task<Fact?> RetractAsync(string factId, MemoryScope scope, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factId);
        ArgumentNullException.ThrowIfNull(scope);
        lock (_gate)
        {
            var i = _facts.FindIndex(f => f.Id == factId && f.IsCurrent && scope.Sees(f.Scope));
            if (i < 0)
            {
                return Task.FromResult<Fact?>(null);
            }

            _facts[i] = _facts[i] with { ValidTo = at < _facts[i].ValidFrom ? _facts[i].ValidFrom : at };
            return Task.FromResult<Fact?>(_facts[i]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Fact>> FactsAsync(FactQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IReadOnlyList<Fact> facts = _facts.Where(query.Matches).OrderBy(f => f.ValidFrom).ThenBy(f => f.RecordedAt).Take(query.Limit).ToList();
            return Task.FromResult(facts);
        }
    }

    /// <inheritdoc />
    public Task<bool> ImportFactAsync(Fact fact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fact);
        lock (_gate)
        {
            var i = _facts.FindIndex(f => f.Id == fact.Id);
            if (i >= 0)
            {
                var closes = _facts[i].IsCurrent && !fact.IsCurrent;
                if (closes)
                {
                    _facts[i] = _facts[i] with { ValidTo = fact.ValidTo, SupersededBy = fact.SupersededBy };
                }

                return Task.FromResult(closes);
            }

            _facts.Add(fact);
            return Task.FromResult(true);
        }
    }
}
