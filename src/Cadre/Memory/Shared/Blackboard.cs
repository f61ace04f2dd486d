using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cadre.Memory.Shared;

/// <summary>
/// Shared memory: a blackboard of keys in namespaces (each agent's private one, team ones, a shared one) that agents
/// read and write under access rules (a denied access is a <see cref="BlackboardAccessDeniedException"/>). Every write
/// makes a new version; a write may name the version it expects (compare-and-set) and fails with a
/// <see cref="BlackboardConflictException"/> when someone wrote in between. Writes go through the key's reducer
/// (append, merge, last writer wins, custom) atomically in the store, so concurrent writers lose nothing, and each is
/// recorded in an append-only audit trail. A <see cref="Blackboard"/> acts for one <see cref="BlackboardActor"/>; use
/// <see cref="As"/> for another.
/// </summary>
public sealed class Blackboard
{
    private readonly TimeProvider _time;

    /// <summary>Creates a blackboard view.</summary>
    /// <param name="store">Where keys are kept.</param>
    /// <param name="board">The board: a tenant or team scope (one board per scope).</param>
    /// <param name="actor">Who reads and writes through this view.</param>
    /// <param name="options">Access rules and reducers.</param>
    /// <param name="time">The clock that stamps what is written (<see cref="TimeProvider.System"/> when null; a <c>FakeTimeProvider</c> in tests).</param>
    public Blackboard(IBlackboardStore store, MemoryScope board, BlackboardActor actor, BlackboardOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(actor);
        Store = store;
        Board = board;
        Actor = actor;
        Options = options ?? new BlackboardOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Where the board's entries are kept.</summary>
    public IBlackboardStore Store { get; }

    /// <summary>The scope that names the board.</summary>
    public MemoryScope Board { get; }

    /// <summary>Who acts through this view.</summary>
    public BlackboardActor Actor { get; }

    /// <summary>Access rules and reducers.</summary>
    public BlackboardOptions Options { get; }

    /// <summary>The same board seen by another actor.</summary>
    public Blackboard As(BlackboardActor actor) => new(Store, Board, actor, Options, _time);

    /// <summary>Reads a key's current value, version and last writer.</summary>
    /// <param name="namespace">The namespace (<c>shared</c>, <c>agent:&lt;name&gt;</c>, <c>team:&lt;name&gt;</c>, ...); the actor needs read
    /// access to it.</param>
    /// <param name="key">The key within the namespace: 1 to 256 characters without control characters.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The entry, or null when the key was never written.</returns>
    /// <exception cref="BlackboardAccessDeniedException">The actor may not read the namespace.</exception>
    public Task<BlackboardEntry?> ReadAsync(string @namespace, string key, CancellationToken cancellationToken = default)
    {
        Check(@namespace, BlackboardPermission.Read);
        return Store.GetAsync(Board.ToString(), @namespace, BlackboardNamespaces.Check(key, "key"), cancellationToken);
    }

    /// <summary>Reads a key's value as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="namespace">The namespace (<c>shared</c>, <c>agent:&lt;name&gt;</c>, <c>team:&lt;name&gt;</c>, ...); the actor needs read
    /// access to it.</param>
    /// <param name="key">The key within the namespace: 1 to 256 characters without control characters.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The value, or default when the key was never written.</returns>
    public async Task<T?> ReadAsync<T>(string @namespace, string key, CancellationToken cancellationToken = default)
    {
        var entry = await ReadAsync(@namespace, key, cancellationToken);
        return entry is null ? default : entry.Get<T>();
    }

    /// <summary>Writes a value through the key's reducer.</summary>
    /// <param name="namespace">The namespace (<c>shared</c>, <c>agent:&lt;name&gt;</c>, <c>team:&lt;name&gt;</c>, ...); the actor needs write
    /// access to it.</param>
    /// <param name="key">The key within the namespace (1 to 256 characters without control characters); it picks the reducer
    /// (<see cref="BlackboardOptions.Reducers"/>).</param>
    /// <param name="value">What to write, combined with the current value by the key's reducer (last writer wins unless
    /// one is set); null is JSON <c>null</c>.</param>
    /// <param name="expectedVersion">When set, the version the key must be at (0: it must not exist yet).</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The entry as written.</returns>
    /// <exception cref="BlackboardAccessDeniedException">The actor may not write the namespace.</exception>
    /// <exception cref="BlackboardConflictException">The key is not at <paramref name="expectedVersion"/>.</exception>
    public Task<BlackboardEntry> WriteAsync(string @namespace, string key, JsonNode? value, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var json = value?.ToJsonString() ?? "null";
        var reducer = Options.ReducerFor(key);
        return WriteCoreAsync(@namespace, key, expectedVersion, current => reducer.Reduce(Parse(current), JsonNode.Parse(json)), cancellationToken);
    }

    /// <summary>Writes a value (serialised to JSON with web defaults) through the key's reducer.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="namespace">The namespace (<c>shared</c>, <c>agent:&lt;name&gt;</c>, <c>team:&lt;name&gt;</c>, ...); the actor needs write
    /// access to it.</param>
    /// <param name="key">The key within the namespace (1 to 256 characters without control characters); it picks the reducer
    /// (<see cref="BlackboardOptions.Reducers"/>).</param>
    /// <param name="value">What to write, serialised first, then combined with the current value by the key's reducer.</param>
    /// <param name="expectedVersion">When set, the version the key must be at.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The entry as written.</returns>
    public Task<BlackboardEntry> WriteAsync<T>(string @namespace, string key, T value, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        WriteAsync(@namespace, key, JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web), expectedVersion, cancellationToken);

    /// <summary>Changes a key from its current value atomically: <paramref name="change"/> runs inside the store's
    /// write, so no other write can come in between (it must be quick and have no side effects).</summary>
    /// <param name="namespace">The namespace (<c>shared</c>, <c>agent:&lt;name&gt;</c>, <c>team:&lt;name&gt;</c>, ...); the actor needs write
    /// access to it.</param>
    /// <param name="key">The key within the namespace (1 to 256 characters without control characters); its
    /// reducer is not used, <paramref name="change"/> decides the value.</param>
    /// <param name="change">Makes the new value from the current one (null when new).</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored when cancelled.</param>
    /// <returns>The entry as written.</returns>
    public Task<BlackboardEntry> UpdateAsync(string @namespace, string key, Func<JsonNode?, JsonNode?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteCoreAsync(@namespace, key, null, current => change(Parse(current)), cancellationToken);
    }

    /// <summary>Lists the keys of a namespace.</summary>
    /// <param name="namespace">The namespace (<c>shared</c>, <c>agent:&lt;name&gt;</c>, <c>team:&lt;name&gt;</c>, ...); the actor needs read
    /// access to it.</param>
    /// <param name="prefix">Only keys starting with this.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The entries, by key.</returns>
    public Task<IReadOnlyList<BlackboardEntry>> ListAsync(string @namespace, string? prefix = null, CancellationToken cancellationToken = default)
    {
        Check(@namespace, BlackboardPermission.Read);
        return Store.ListAsync(Board.ToString(), @namespace, prefix, cancellationToken);
    }

    /// <summary>Reads the audit trail, newest first: of one namespace (and key), or of every namespace the actor may
    /// read.</summary>
    /// <param name="namespace">Only this namespace, when set.</param>
    /// <param name="key">Only this key, when set.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    public async Task<IReadOnlyList<BlackboardAuditEntry>> AuditAsync(string? @namespace = null, string? key = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (@namespace is not null)
        {
            Check(@namespace, BlackboardPermission.Read);
            return await Store.AuditAsync(Board.ToString(), @namespace, key, limit, cancellationToken);
        }

        var all = await Store.AuditAsync(Board.ToString(), null, key, Actor.IsOperator ? limit : int.MaxValue, cancellationToken);
        return all.Where(a => Options.Access.Allows(Actor, a.Namespace, BlackboardPermission.Read, out _)).Take(limit).ToList();
    }

    private async Task<BlackboardEntry> WriteCoreAsync(string @namespace, string key, long? expectedVersion, Func<BlackboardEntry?, JsonNode?> compute, CancellationToken cancellationToken)
    {
        Check(@namespace, BlackboardPermission.Write);
        BlackboardNamespaces.Check(key, "key");
        return await Store.WriteAsync(new BlackboardWrite(
            Board.ToString(), @namespace, key, expectedVersion,
            current => compute(current)?.ToJsonString() ?? "null",
            Actor.Name, MemoryClock.Now(_time)), cancellationToken);
    }

    private static JsonNode? Parse(BlackboardEntry? entry) => entry is null ? null : JsonNode.Parse(entry.Json);

    private void Check(string @namespace, BlackboardPermission permission)
    {
        BlackboardNamespaces.Check(@namespace, "namespace");
        if (!Options.Access.Allows(Actor, @namespace, permission, out var reason))
        {
            throw new BlackboardAccessDeniedException(Actor.Name, @namespace, permission, reason);
        }
    }
}
