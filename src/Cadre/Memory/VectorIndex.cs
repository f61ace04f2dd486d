using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cadre.Memory;

/// <summary>
/// Exact nearest-neighbour search over unit-length vectors kept in memory, compared with SIMD
/// (<see cref="TensorPrimitives"/>) and, on large indexes, pre-selected by int8 scalar quantisation and re-ranked exactly
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
    private readonly List<sbyte[]> _codeBlocks = [];
    private readonly List<float[]> _scaleBlocks = [];
    private readonly List<long> _keys = [];
    private readonly List<int> _labels = [];
    private readonly Dictionary<long, int> _slots = [];

    /// <summary>Creates an empty index.</summary>
    public VectorIndex(int dimensions, VectorIndexOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
        Options = options ?? new VectorIndexOptions();
    }

    /// <summary>How many entries every vector must have; set when the index is made.</summary>
    public int Dimensions { get; }

    /// <summary>When searches quantise, how many candidates they re-rank, and when they use every core.</summary>
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
                return (long)_vectorBlocks.Count * BlockSize * ((Dimensions * (sizeof(float) + sizeof(sbyte))) + sizeof(float) + sizeof(long) + sizeof(int));
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds a vector, or replaces the vector of a key already present. The vector is scaled to unit
    /// length.</summary>
    /// <param name="key">The vector's key (the store's row); a key already present is replaced.</param>
    /// <param name="vector"><see cref="Dimensions"/> entries; copied, so the caller may reuse it (a zero vector is kept
    /// as is).</param>
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
                    _codeBlocks.Add(new sbyte[BlockSize * Dimensions]);
                    _scaleBlocks.Add(new float[BlockSize]);
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

            _scaleBlocks[slot >> BlockBits][slot & (BlockSize - 1)] = Encode(target, CodeAt(slot));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a key's vector.</summary>
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
                _scaleBlocks[slot >> BlockBits][slot & (BlockSize - 1)] = _scaleBlocks[last >> BlockBits][last & (BlockSize - 1)];
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
                _scaleBlocks.RemoveAt(_scaleBlocks.Count - 1);
            }

            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>True when the key has a vector.</summary>
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

    /// <summary>Removes every vector and frees their blocks; waits for running searches.</summary>
    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _vectorBlocks.Clear();
            _codeBlocks.Clear();
            _scaleBlocks.Clear();
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
    /// <param name="exact">Compare every vector exactly even above <see cref="VectorIndexOptions.QuantizeAbove"/> (a
    /// baseline for measuring what quantisation costs in recall).</param>
    /// <returns>The matches, most similar first.</returns>
    public IReadOnlyList<VectorMatch> Search(ReadOnlySpan<float> query, int k, Func<int, long, bool>? accept = null, bool exact = false)
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

            var slots = count >= Options.QuantizeAbove && !exact
                ? ExactRerank(q, PreselectByCode(q, Math.Max(k * Options.RerankFactor, 100), accept), k)
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

    private Span<sbyte> CodeAt(int slot) =>
        _codeBlocks[slot >> BlockBits].AsSpan((slot & (BlockSize - 1)) * Dimensions, Dimensions);

    /// <summary>Quantises a unit vector to int8 (the largest component becomes ±127); returns the factor that scales an
    /// integer dot product with this code back to floats.</summary>
    private static float Encode(ReadOnlySpan<float> vector, Span<sbyte> code)
    {
        var max = TensorPrimitives.MaxMagnitude(vector);
        if (max == 0)
        {
            code.Clear();
            return 0;
        }

        var scale = 127f / MathF.Abs(max);
        for (var i = 0; i < vector.Length; i++)
        {
            code[i] = (sbyte)MathF.Round(vector[i] * scale);
        }

        return 1f / scale;
    }

    /// <summary>The dot product of two int8 vectors, summed in 32-bit integers. TensorPrimitives has no widening int8
    /// dot product, so this is the one SIMD loop written here: AVX2's multiply-add of unsigned by signed bytes, after
    /// moving each element's sign onto the other operand (codes are within ±127, so pairs cannot saturate).</summary>
    private static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var sum = 0;
        var i = 0;
        if (Avx2.IsSupported && a.Length >= 32)
        {
            var ones = Vector256.Create((short)1);
            var acc = Vector256<int>.Zero;
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            for (; i <= a.Length - 32; i += 32)
            {
                var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref rb, (nuint)i);
                var pairs = Avx2.MultiplyAddAdjacent(Avx2.Sign(va, va).AsByte(), Avx2.Sign(vb, va));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(pairs, ones));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private List<(int Slot, float Score)> ScanExact(float[] q, int k, Func<int, long, bool>? accept)
    {
        var dimensions = Dimensions;
        return Partitioned(_keys.Count, (from, to) =>
        {
            var best = new TopK(k);
            // Walk block by block: one array per block, vectors back to back.
            for (var block = from >> BlockBits; block <= (to - 1) >> BlockBits; block++)
            {
                var vectors = _vectorBlocks[block];
                var last = Math.Min(to, (block + 1) << BlockBits);
                for (var slot = Math.Max(from, block << BlockBits); slot < last; slot++)
                {
                    if (accept is null || accept(_labels[slot], _keys[slot]))
                    {
                        best.Offer(slot, TensorPrimitives.Dot(q, new ReadOnlySpan<float>(vectors, (slot & (BlockSize - 1)) * dimensions, dimensions)));
                    }
                }
            }

            return best;
        }, k);
    }

    private List<int> PreselectByCode(float[] q, int candidates, Func<int, long, bool>? accept)
    {
        var code = new sbyte[Dimensions];
        Encode(q, code);
        var dimensions = Dimensions;
        // Keep the candidates with the smallest Hamming distance: a max-heap by distance (priority = -distance).
        var best = Partitioned(_keys.Count, (from, to) =>
        {
            var heap = new TopK(candidates);
            for (var block = from >> BlockBits; block <= (to - 1) >> BlockBits; block++)
            {
                var codes = _codeBlocks[block];
                var scales = _scaleBlocks[block];
                var last = Math.Min(to, (block + 1) << BlockBits);
                for (var slot = Math.Max(from, block << BlockBits); slot < last; slot++)
                {
                    if (accept is null || accept(_labels[slot], _keys[slot]))
                    {
                        var at = slot & (BlockSize - 1);
                        heap.Offer(slot, DotInt8(code, new ReadOnlySpan<sbyte>(codes, at * dimensions, dimensions)) * scales[at]);
                    }
                }
            }

            return heap;
        }, candidates);
        return best.Select(b => b.Slot).ToList();
    }

    private List<(int Slot, float Score)> ExactRerank(float[] q, List<int> candidates, int k)
    {
        var best = new TopK(k);
        foreach (var slot in candidates)
        {
            best.Offer(slot, TensorPrimitives.Dot(q, VectorAt(slot)));
        }

        return best.Drain();
    }

    private List<(int Slot, float Score)> Partitioned(int count, Func<int, int, TopK> scan, int k)
    {
        var parts = count < Options.ParallelAbove ? 1 : Math.Min(Environment.ProcessorCount, Math.Max(1, count / 8192));
        if (parts == 1)
        {
            return scan(0, count).Drain();
        }

        var heaps = new TopK[parts];
        var size = (count + parts - 1) / parts;
        Parallel.For(0, parts, p => heaps[p] = scan(p * size, Math.Min(count, (p + 1) * size)));
        var merged = new TopK(k);
        foreach (var heap in heaps)
        {
            foreach (var (slot, score) in heap.Drain())
            {
                merged.Offer(slot, score);
            }
        }

        return merged.Drain();
    }

    /// <summary>The best <c>k</c> slots seen: a min-heap that rejects a worse score with one comparison.</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<int, float> _heap = new(k + 1);
        private float _worst = float.NegativeInfinity;

        public void Offer(int slot, float score)
        {
            if (_heap.Count < k)
            {
                _heap.Enqueue(slot, score);
                if (_heap.Count == k)
                {
                    _heap.TryPeek(out _, out _worst);
                }
            }
            else if (score > _worst)
            {
                _heap.DequeueEnqueue(slot, score);
                _heap.TryPeek(out _, out _worst);
            }
        }

        public List<(int Slot, float Score)> Drain()
        {
            var result = new List<(int, float)>(_heap.Count);
            while (_heap.TryDequeue(out var slot, out var score))
            {
                result.Add((slot, score));
            }

            result.Reverse();
            return result;
        }
    }
}
