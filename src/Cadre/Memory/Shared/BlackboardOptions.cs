namespace Cadre.Memory.Shared;

/// <summary>A blackboard's access rules and per-key reducers.</summary>
public sealed record BlackboardOptions
{
    /// <summary>Who may read and write which namespace.</summary>
    public BlackboardAccess Access { get; init; } = BlackboardAccess.Default;

    /// <summary>Reducers by key pattern (a key, or a prefix ending in <c>*</c>), first match wins; keys without one use
    /// <see cref="BlackboardReducers.LastWriterWins"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, IBlackboardReducer>> Reducers { get; init; } = [];

    /// <summary>Returns a copy with a reducer for keys matching <paramref name="keyPattern"/>.</summary>
    /// <param name="keyPattern">A key, or a prefix ending in <c>*</c> (<c>notes/*</c>).</param>
    /// <param name="reducer">How a write to those keys combines with the current value; checked after the reducers
    /// added before (first match wins).</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public BlackboardOptions WithReducer(string keyPattern, IBlackboardReducer reducer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPattern);
        ArgumentNullException.ThrowIfNull(reducer);
        return this with { Reducers = [.. Reducers, KeyValuePair.Create(keyPattern, reducer)] };
    }

    /// <summary>The reducer for a key.</summary>
    public IBlackboardReducer ReducerFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var (pattern, reducer) in Reducers)
        {
            if (pattern.EndsWith('*') ? key.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == key)
            {
                return reducer;
            }
        }

        return BlackboardReducers.LastWriterWins;
    }
}
