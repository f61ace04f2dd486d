using System.Collections.Concurrent;

namespace Cadre.Tools;

/// <summary>Results of side-effect-free tools by tool and arguments, each kept for its tool's
/// <see cref="ToolDescriptor.CacheTtl"/> on a <see cref="TimeProvider"/>. Bounded: when full, expired entries go
/// first, then the oldest. Thread-safe; share one between invokers to share results.</summary>
public sealed class ToolResultCache
{
    private readonly ConcurrentDictionary<string, (string Result, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="time">The clock that expires entries.</param>
    /// <param name="capacity">The most entries kept (default 10,000).</param>
    public ToolResultCache(TimeProvider? time = null, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time ?? TimeProvider.System;
        Capacity = capacity;
    }

    /// <summary>The most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>How many entries are kept now (expired ones included until they are swept).</summary>
    public int Count => _entries.Count;

    /// <summary>Finds a result that has not expired.</summary>
    /// <param name="tool">The tool's name; with the arguments it makes the key.</param>
    /// <param name="arguments">The arguments (canonical JSON).</param>
    /// <param name="result">The cached text when found; "" otherwise.</param>
    /// <returns>True when a result is cached under the key and has not expired on the cache's clock.</returns>
    public bool TryGet(string tool, string arguments, out string result)
    {
        if (_entries.TryGetValue(Key(tool, arguments), out var entry) && entry.Expires > _time.GetUtcNow())
        {
            result = entry.Result;
            return true;
        }

        result = "";
        return false;
    }

    /// <summary>Keeps a result for <paramref name="ttl"/>.</summary>
    /// <param name="tool">The tool's name; with the arguments it makes the key.</param>
    /// <param name="arguments">The arguments (canonical JSON).</param>
    /// <param name="result">The text to keep; replaces one kept under the same key.</param>
    /// <param name="ttl">How long it stays.</param>
    public void Set(string tool, string arguments, string result, TimeSpan ttl)
    {
        var now = _time.GetUtcNow();
        if (_entries.Count >= Capacity)
        {
            foreach (var expired in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
            {
                _entries.TryRemove(expired, out _);
            }

            foreach (var oldest in _entries.OrderBy(e => e.Value.Expires).Take(Math.Max(0, _entries.Count - Capacity + 1)).Select(e => e.Key).ToList())
            {
                _entries.TryRemove(oldest, out _);
            }
        }

        _entries[Key(tool, arguments)] = (result, now + ttl);
    }

    /// <summary>Forgets every cached result of a tool.</summary>
    /// <param name="tool">The tool's name, matched case-sensitively.</param>
    public void Invalidate(string tool)
    {
        var prefix = tool + "\n";
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _entries.TryRemove(key, out _);
        }
    }

    private static string Key(string tool, string arguments) => tool + "\n" + arguments;
}
