using System.Collections.Concurrent;
using Cadre.Memory;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Cadre.Embeddings;

/// <summary>
/// Embeds texts offline with a <see cref="LocalEmbeddingModel"/> on ONNX Runtime: WordPiece tokens (Microsoft.ML.Tokenizers'
/// BERT tokenizer over the model's own vocabulary), batches of texts of similar length padded together, pooled and
/// scaled to unit length. The model is loaded once per process and shared by every generator of that model; search
/// queries (marked with <see cref="EmbeddingInput.ForQuery"/>) get the model's query instruction.
/// </summary>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The most tokens a text is cut to (the models' position limit).</summary>
    public const int MaxTokens = 512;

    // Texts per ONNX call: large enough to keep the matrix kernels busy, small enough that padding stays cheap
    // (texts are sorted by length first).
    private const int BatchSize = 32;

    private static readonly ConcurrentDictionary<string, Lazy<Loaded>> Models = new(StringComparer.Ordinal);
    private readonly Lazy<Loaded> _loaded;
    private readonly EmbeddingGeneratorMetadata _metadata;

    private LocalEmbeddingGenerator(LocalEmbeddingModel model, Lazy<Loaded> loaded)
    {
        Model = model;
        _loaded = loaded;
        _metadata = new EmbeddingGeneratorMetadata("cadre-local", null, model.ModelId, model.Dimensions);
    }

    /// <summary>The local model that computes the embeddings.</summary>
    public LocalEmbeddingModel Model { get; }

    /// <summary>A generator for a model. The model is loaded at the first embedding this process asks of it (about a
    /// second for arctic-xs), and shared by every generator of that model after.</summary>
    public static LocalEmbeddingGenerator For(LocalEmbeddingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var loaded = Models.GetOrAdd(model.Name, _ => new Lazy<Loaded>(() => Loaded.From(model), LazyThreadSafetyMode.ExecutionAndPublication));
        return new LocalEmbeddingGenerator(model, loaded);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToList();
        var prefix = EmbeddingInput.IsQuery(options) ? Model.QueryPrefix : "";
        // ONNX Runtime's Run is synchronous and CPU-bound: run it off the caller's thread.
        return Task.Run(() =>
        {
            var vectors = Embed(texts.Select(t => prefix + (t ?? "")).ToList(), cancellationToken);
            var now = DateTimeOffset.UtcNow;
            return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = Model.ModelId, CreatedAt = now }));
        }, cancellationToken);
    }

    /// <summary>Embeds texts as they are (no query instruction).</summary>
    /// <returns>One unit-length vector per text, in order.</returns>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var loaded = _loaded.Value;
        var ids = texts.Select(loaded.Tokenize).ToArray();
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => ids[i].Count).ToArray();
        var vectors = new float[texts.Count][];
        foreach (var batch in order.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pooled = loaded.Run(batch.Select(i => ids[i]).ToList(), Model.Pooling);
            for (var j = 0; j < batch.Length; j++)
            {
                vectors[batch[j]] = pooled[j];
            }
        }

        return vectors;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType?.IsInstanceOfType(this) == true ? this
        : null;

    /// <summary>Does nothing: the loaded model is shared by the process and lives as long as it.</summary>
    public void Dispose()
    {
    }

    private sealed class Loaded(InferenceSession session, BertTokenizer tokenizer, int dimensions)
    {
        public static Loaded From(LocalEmbeddingModel model)
        {
            byte[] weights;
            using (var stream = model.Open("model.onnx"))
            using (var buffer = new MemoryStream())
            {
                stream.CopyTo(buffer);
                weights = buffer.ToArray();
            }

            using var vocabulary = model.Open("vocab.txt");
            var tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true });
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            // Idle worker threads sleep instead of spinning: on a busy machine (agents, SQLite, other processes) spinning
            // takes cores from the work it waits for.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            return new Loaded(new InferenceSession(weights, options), tokenizer, model.Dimensions);
        }

        public IReadOnlyList<int> Tokenize(string text) =>
            tokenizer.EncodeToIds(text, MaxTokens, addSpecialTokens: true, out _, out _);

        public float[][] Run(IReadOnlyList<IReadOnlyList<int>> batch, LocalPooling pooling)
        {
            var rows = batch.Count;
            var length = Math.Max(1, batch.Max(b => b.Count));
            var inputIds = new DenseTensor<long>([rows, length]);
            var mask = new DenseTensor<long>([rows, length]);
            var types = new DenseTensor<long>([rows, length]);
            for (var r = 0; r < rows; r++)
            {
                for (var t = 0; t < batch[r].Count; t++)
                {
                    inputIds[r, t] = batch[r][t];
                    mask[r, t] = 1;
                }
            }

            using var results = session.Run(
            [
                NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
                NamedOnnxValue.CreateFromTensor("attention_mask", mask),
                NamedOnnxValue.CreateFromTensor("token_type_ids", types),
            ]);
            var hidden = results[0].AsTensor<float>() as DenseTensor<float>
                ?? throw new InvalidOperationException("The local embedding model returned no dense tensor.");
            var values = hidden.Buffer.Span;
            var vectors = new float[rows][];
            for (var r = 0; r < rows; r++)
            {
                var vector = new float[dimensions];
                var tokens = pooling == LocalPooling.Cls ? 1 : batch[r].Count;
                for (var t = 0; t < tokens; t++)
                {
                    var row = values.Slice(((r * length) + t) * dimensions, dimensions);
                    System.Numerics.Tensors.TensorPrimitives.Add(vector, row, vector);
                }

                var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
                if (norm > 0)
                {
                    System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
                }

                vectors[r] = vector;
            }

            return vectors;
        }
    }
}
