using System.Numerics.Tensors;

namespace Cadre.Memory;

/// <summary>
/// Exact nearest-neighbour search over unit-length vectors kept in memory, compared with SIMD
/// (<see cref="TensorPrimitives"/>) and, on large indexes, pre-selected by binary quantisation and re-ranked exactly
/// (<see cref="VectorIndexOptions.QuantizeAbove"/>). Every vector carries a key (the store's row) and a label (the
/// store's scope number) that a search can filter on. Vectors are kept in blocks, so the index grows without copying.
/// Thread-safe: searches run in parallel with each other; adds and removes wait for them. Dispose it when done.
/// </summary>
public sealed class VectorIndex : IDisposable
{
    private const int BlockBits = 14;
    private const int BlockSize = 1 << BlockBits;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<float[]> _vectorBlocks = [];
    private readonly List<ulong[]> _codeBlocks = [];
    private readonly List<long> _keys = [];
    private readonly List<int> _labels = [];
    private readonly Dictionary<long, int> _slots = [];
    private readonly int _codeWords;

    /// <summary>Creates an empty index.</summary>
    /// <param name="dimensions">The vector length.</param>
    /// <param name="options">How it searches.</param>
    public VectorIndex(int dimensions, VectorIndexOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
        Options = options ?? new VectorIndexOptions();
        _codeWords = (dimensions + 63) / 64;
    }

    /// <summary>The vector length.</summary>
    public int Dimensions { get; }

    /// <summary>How it searches.</summary>
    public VectorIndexOptions Options { get; }

    /// <summary>How many vectors it holds.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _keys.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>The memory the vectors and their codes take, in bytes.</summary>
    public long MemoryBytes
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return (long)_vectorBlocks.Count * BlockSize * ((Dimensions * sizeof(float)) + (_codeWords * sizeof(ulong)) + sizeof(long) + sizeof(int));
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds a vector, or replaces the vector of a key already present. The vector is scaled to unit
    /// length.</summary>
    /// <param name="key">The key.</param>
    /// <param name="vector">The vector.</param>
    /// <param name="label">A label searches can filter on.</param>
    /// <exception cref="ArgumentException">The vector has the wrong length.</exception>
    public void Upsert(long key, ReadOnlySpan<float> vector, int label = 0)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The vector has {vector.Length} dimensions; this index holds {Dimensions}. Were the memories embedded by another model?", nameof(vector));
        }

        _lock.EnterWriteLock();
        try
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = _keys.Count;
                if ((slot >> BlockBits) == _vectorBlocks.Count)
                {
                    _vectorBlocks.Add(new float[BlockSize * Dimensions]);
                    _codeBlocks.Add(new ulong[BlockSize * _codeWords]);
                }

                _keys.Add(key);
                _labels.Add(label);
                _slots[key] = slot;
            }
            else
            {
                _labels[slot] = label;
            }

            var target = VectorAt(slot);
            vector.CopyTo(target);
            var norm = TensorPrimitives.Norm(target);
            if (norm > 0)
            {
                TensorPrimitives.Divide(target, norm, target);
            }

            Encode(target, CodeAt(slot));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a key's vector.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when it was there.</returns>
    public bool Remove(long key)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.Remove(key, out var slot))
            {
                return false;
            }

            // Move the last vector into the hole, so the slots stay dense.
            var last = _keys.Count - 1;
            if (slot != last)
            {
                VectorAt(last).CopyTo(VectorAt(slot));
                CodeAt(last).CopyTo(CodeAt(slot));
                _keys[slot] = _keys[last];
                _labels[slot] = _labels[last];
                _slots[_keys[slot]] = slot;
            }

            _keys.RemoveAt(last);
            _labels.RemoveAt(last);
            if (_keys.Count <= (_vectorBlocks.Count - 1) << BlockBits && _vectorBlocks.Count > 0)
            {
                _vectorBlocks.RemoveAt(_vectorBlocks.Count - 1);
                _codeBlocks.RemoveAt(_codeBlocks.Count - 1);
            }

            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>True when the key has a vector.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it has.</returns>
    public bool Contains(long key)
    {
        _lock.EnterReadLock();
        try
        {
            return _slots.ContainsKey(key);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Removes every vector.</summary>
    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _vectorBlocks.Clear();
            _codeBlocks.Clear();
            _keys.Clear();
            _labels.Clear();
            _slots.Clear();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Finds the <paramref name="k"/> vectors most similar to <paramref name="query"/> (cosine).</summary>
    /// <param name="query">The query vector (any length-scale; it is normalised).</param>
    /// <param name="k">How many to return.</param>
    /// <param name="accept">When set, only vectors whose label and key it accepts are considered (a scope check).</param>
    /// <returns>The matches, most similar first.</returns>
    public IReadOnlyList<VectorMatch> Search(ReadOnlySpan<float> query, int k, Func<int, long, bool>? accept = null)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; this index holds {Dimensions}.", nameof(query));
        }

        if (k <= 0)
        {
            return [];
        }

        var q = query.ToArray();
        var norm = TensorPrimitives.Norm(q);
        if (norm == 0)
        {
            return [];
        }

        TensorPrimitives.Divide(q, norm, q);
        _lock.EnterReadLock();
        try
        {
            var count = _keys.Count;
            if (count == 0)
            {
                return [];
            }

            var slots = count >= Options.QuantizeAbove
                ? ExactRerank(q, PreselectByCode(q, Math.Max(k * Options.RerankFactor, 400), accept), k)
                : ScanExact(q, k, accept);
            return slots.Select(s => new VectorMatch(_keys[s.Slot], s.Score)).ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private Span<float> VectorAt(int slot) =>
        _vectorBlocks[slot >> BlockBits].AsSpan((slot & (BlockSize - 1)) * Dimensions, Dimensions);

    private Span<ulong> CodeAt(int slot) =>
        _codeBlocks[slot >> BlockBits].AsSpan((slot & (BlockSize - 1)) * _codeWords, _codeWords);

    private static void Encode(ReadOnlySpan<float> vector, Span<ulong> code)
    {
        code.Clear();
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                code[i >> 6] |= 1UL << (i & 63);
            }
        }
    }

    private List<(int Slot, float Score)> ScanExact(float[] q, int k, Func<int, long, bool>? accept)
    {
        var count = _keys.Count;
        return Partitioned(count, (from, to) =>
        {
            var best = new PriorityQueue<int, float>(k + 1);
            for (var slot = from; slot < to; slot++)
            {
                if (accept is not null && !accept(_labels[slot], _keys[slot]))
                {
                    continue;
                }

                var score = TensorPrimitives.Dot(q, VectorAt(slot));
                Offer(best, k, slot, score);
            }

            return best;
        }, k);
    }

    private List<int> PreselectByCode(float[] q, int candidates, Func<int, long, bool>? accept)
    {
        var code = new ulong[_codeWords];
        Encode(q, code);
        // Keep the candidates with the smallest Hamming distance: a max-heap by distance (priority = -distance).
        var best = Partitioned(_keys.Count, (from, to) =>
        {
            var heap = new PriorityQueue<int, float>(candidates + 1);
            for (var slot = from; slot < to; slot++)
            {
                if (accept is not null && !accept(_labels[slot], _keys[slot]))
                {
                    continue;
                }

                var distance = TensorPrimitives.HammingBitDistance<ulong>(code, CodeAt(slot));
                Offer(heap, candidates, slot, -distance);
            }

            return heap;
        }, candidates);
        return best.Select(b => b.Slot).ToList();
    }

    private List<(int Slot, float Score)> ExactRerank(float[] q, List<int> candidates, int k)
    {
        var best = new PriorityQueue<int, float>(k + 1);
        foreach (var slot in candidates)
        {
            Offer(best, k, slot, TensorPrimitives.Dot(q, VectorAt(slot)));
        }

        return Drain(best);
    }

    private List<(int Slot, float Score)> Partitioned(int count, Func<int, int, PriorityQueue<int, float>> scan, int k)
    {
        var parts = count < Options.ParallelAbove ? 1 : Math.Min(Environment.ProcessorCount, Math.Max(1, count / 8192));
        if (parts == 1)
        {
            return Drain(scan(0, count));
        }

        var heaps = new PriorityQueue<int, float>[parts];
        var size = (count + parts - 1) / parts;
        Parallel.For(0, parts, p => heaps[p] = scan(p * size, Math.Min(count, (p + 1) * size)));
        var merged = new PriorityQueue<int, float>(k + 1);
        foreach (var heap in heaps)
        {
            while (heap.TryDequeue(out var slot, out var score))
            {
                Offer(merged, k, slot, score);
            }
        }

        return Drain(merged);
    }

    private static void Offer(PriorityQueue<int, float> best, int k, int slot, float score)
    {
        if (best.Count < k)
        {
            best.Enqueue(slot, score);
        }
        else if (best.TryPeek(out _, out var worst) && score > worst)
        {
            best.DequeueEnqueue(slot, score);
        }
    }

    private static List<(int Slot, float Score)> Drain(PriorityQueue<int, float> best)
    {
        var result = new List<(int, float)>(best.Count);
        while (best.TryDequeue(out var slot, out var score))
        {
            result.Add((slot, score));
        }

        result.Reverse();
        return result;
    }
}
