using Cadre.Memory;

namespace Cadre.Tests.Memory;

/// <summary>The parts retrieval is built from: scopes, terms, the local embedder, rank fusion and the vector index.</summary>
public sealed class RetrievalPartsTests
{
    [Theory]
    [InlineData("acme", "acme", "", "")]
    [InlineData("acme/support", "acme", "support", "")]
    [InlineData("acme/support/billing", "acme", "support", "billing")]
    [InlineData("acme//billing", "acme", "", "billing")]
    public void A_scope_path_parses_and_prints_back(string path, string tenant, string team, string agent)
    {
        var scope = MemoryScope.Parse(path);

        Assert.Equal((tenant, team, agent), (scope.Tenant, scope.Team, scope.Agent));
        Assert.Equal(path, scope.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/support")]
    [InlineData("a/b/c/d")]
    [InlineData("acme corp")]
    public void A_malformed_scope_path_is_a_format_error_that_says_how_to_write_one(string path)
    {
        var error = Assert.Throws<FormatException>(() => MemoryScope.Parse(path));

        Assert.Contains("tenant/team/agent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme", "acme/support/billing", true)]
    [InlineData("acme/support", "acme/support/billing", true)]
    [InlineData("acme/support/billing", "acme/support/refunds", false)]
    [InlineData("acme/support", "acme/sales", false)]
    [InlineData("acme//billing", "acme/support/billing", false)]
    [InlineData("acme//billing", "acme", true)]
    [InlineData("acme", "globex", false)]
    public void Scopes_see_each_other_along_their_line_and_never_across_tenants(string reader, string stored, bool sees)
    {
        Assert.Equal(sees, MemoryScope.Parse(reader).Sees(MemoryScope.Parse(stored)));
        Assert.Equal(sees, MemoryScope.Parse(stored).Sees(MemoryScope.Parse(reader)));
    }

    [Theory]
    [InlineData("prefers", "prefer")]
    [InlineData("preferred", "prefer")]
    [InlineData("preferring", "prefer")]
    [InlineData("calls", "call")]
    [InlineData("phones", "phone")]
    [InlineData("companies", "company")]
    [InlineData("class", "class")]
    [InlineData("inv", "inv")]
    public void The_stemmer_folds_plurals_and_verb_endings(string word, string stem) => Assert.Equal(stem, TextTerms.Stem(word));

    [Fact]
    public void Keywords_drop_stop_words_and_keep_ids_and_numbers()
    {
        Assert.Equal(["customer", "prefer", "phone", "call", "inv", "1001"], TextTerms.Keywords("The customer prefers phone calls about INV-1001."));
    }

    [Fact]
    public void The_local_embedder_is_deterministic_unit_length_and_ranks_shared_words_and_word_forms_above_unrelated_text()
    {
        var embedder = new HashingEmbeddingGenerator();
        var memory = embedder.Embed("Ana prefers phone calls over email.");
        float Similarity(string text) => System.Numerics.Tensors.TensorPrimitives.Dot(memory, embedder.Embed(text));

        Assert.Equal(memory, embedder.Embed("Ana prefers phone calls over email."));
        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm(memory), 3);
        Assert.True(Similarity("how does Ana prefer to be called") > Similarity("the invoice was paid in March") + 0.2f);
        Assert.True(Similarity("telephone") > Similarity("ring"), "character n-grams match parts of words");
        Assert.True(Similarity("telefone calls") > 0.2f, "misspellings still share n-grams");
        // What it cannot do: synonyms share no letters, so they look unrelated.
        Assert.InRange(embedder.Embed("automobile").Zip(embedder.Embed("car")).Sum(p => p.First * p.Second), -0.2f, 0.2f);
    }

    [Fact]
    public async Task The_local_embedder_names_its_model_and_embeds_through_the_generator_interface()
    {
        var embedder = new HashingEmbeddingGenerator(128);
        var embeddings = await embedder.GenerateAsync(["one", "two"]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(128, e.Vector.Length));
        Assert.Equal("cadre-hashing-v1/128", embeddings[0].ModelId);
        Assert.Equal("cadre-hashing-v1/128", ((Microsoft.Extensions.AI.EmbeddingGeneratorMetadata)embedder.GetService(typeof(Microsoft.Extensions.AI.EmbeddingGeneratorMetadata))!).DefaultModelId);
    }

    [Fact]
    public void Reciprocal_rank_fusion_rewards_items_high_in_several_lists()
    {
        var fused = RankFusion.Reciprocal<string>([["a", "b", "c"], ["b", "d", "a"]]);

        Assert.Equal(["b", "a", "d", "c"], fused.Select(f => f.Key));
        Assert.Equal((1.0 / 62) + (1.0 / 61), fused[0].Value, 10);
        Assert.Equal(["a", "b"], RankFusion.Reciprocal<string>([["a", "b"], ["b", "a"]], [2.0, 1.0]).Select(f => f.Key));
    }

    [Fact]
    public void The_vector_index_finds_nearest_vectors_honours_filters_and_replaces_and_removes()
    {
        using var index = new VectorIndex(3);
        index.Upsert(1, [1, 0, 0], label: 0);
        index.Upsert(2, [0.9f, 0.1f, 0], label: 1);
        index.Upsert(3, [0, 1, 0], label: 0);

        Assert.Equal([1L, 2L], index.Search([1, 0, 0], 2).Select(m => m.Key));
        Assert.Equal([1L, 3L], index.Search([1, 0, 0], 2, (label, _) => label == 0).Select(m => m.Key));
        index.Upsert(1, [0, 0, 1]);
        Assert.Equal(2L, index.Search([1, 0, 0], 1)[0].Key);
        Assert.True(index.Remove(2));
        Assert.False(index.Remove(2));
        Assert.Equal([3L, 1L], index.Search([0, 1, 0.1f], 5).Select(m => m.Key));
        Assert.Equal(2, index.Count);
        Assert.Throws<ArgumentException>(() => index.Upsert(9, [1, 2]));
    }

    [Fact]
    public void Quantised_search_finds_what_an_exact_scan_finds()
    {
        var random = new Random(5);
        using var index = new VectorIndex(100, new VectorIndexOptions { QuantizeAbove = 100 }); // 100 = three SIMD blocks and a tail
        var vectors = Enumerable.Range(0, 3_000).Select(_ => Enumerable.Range(0, 100).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()).ToList();
        for (var i = 0; i < vectors.Count; i++)
        {
            index.Upsert(i, vectors[i]);
        }

        var agreement = 0.0;
        for (var q = 0; q < 50; q++)
        {
            var query = vectors[random.Next(vectors.Count)].Select(x => x + (float)(random.NextDouble() * 0.2)).ToArray();
            var exact = index.Search(query, 10, exact: true).Select(m => m.Key).ToHashSet();
            var quantised = index.Search(query, 10);
            agreement += quantised.Count(m => exact.Contains(m.Key)) / 10.0;
            Assert.True(quantised.Zip(quantised.Skip(1)).All(p => p.First.Similarity >= p.Second.Similarity));
        }

        Assert.True(agreement / 50 >= 0.95, $"quantised search agreed on {agreement / 50:P0} of the exact top 10");
    }
}
