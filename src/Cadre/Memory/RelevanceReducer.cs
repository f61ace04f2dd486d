using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>
/// Keeps the turns most related to the current task, in their original order, within the budget: each droppable
/// group of messages is ranked against the task and the latest user message by the same retrieval as long-term memory
/// (BM25 ∪ embedding similarity, fused by reciprocal rank, with recency as a third ranking), and groups are taken best
/// first while they fit. Tool calls stay with their results. Embeddings of turns are cached, so a long conversation is
/// embedded once.
/// </summary>
public sealed class RelevanceReducer : BudgetedChatReducer
{
    private const int CacheLimit = 10_000;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly Dictionary<string, float[]> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Creates a reducer that fits the history into <paramref name="maxTokens"/>; it caches turn embeddings
    /// by text (cleared when it would pass 10,000), so a reducer reused across turns embeds each turn once.</summary>
    /// <param name="maxTokens">The budget in tokens.</param>
    /// <param name="counter">Counts tokens; <see cref="TokenCounter.Default"/> when null.</param>
    /// <param name="embeddings">Embeds turns; the local <see cref="HashingEmbeddingGenerator"/> when null.</param>
    /// <param name="options">How turns are ranked.</param>
    public RelevanceReducer(int maxTokens, ITokenCounter? counter = null, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, RelevanceReducerOptions? options = null)
        : base(maxTokens, counter)
    {
        _embeddings = embeddings ?? HashingEmbeddingGenerator.Default;
        Options = options ?? new RelevanceReducerOptions();
    }

    /// <summary>How turns are ranked.</summary>
    public RelevanceReducerOptions Options { get; }

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<ChatMessage>> SelectAsync(ReductionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var droppable = context.Droppable.ToList();
        var all = context.Groups.SelectMany(g => g).ToList();
        var query = Options.Query?.Invoke(all) ?? DefaultQuery(all);
        var texts = droppable.Select(i => MessageText.Render(context.Groups[i])).ToList();
        var vectors = await EmbedAsync(texts, cancellationToken);
        var queryVector = string.IsNullOrWhiteSpace(query) ? ReadOnlyMemory<float>.Empty : await EmbeddingText.EmbedQueryAsync(_embeddings, query, cancellationToken);
        var newestFirst = Enumerable.Range(0, droppable.Count).Reverse().ToList();
        var ranked = HybridRanker.Rank(query, queryVector, texts, vectors, newestFirst, Options.RecencyWeight);
        var kept = new List<int>();
        var left = context.Budget;
        foreach (var (index, _) in ranked)
        {
            var group = droppable[index];
            if (context.Tokens(group) <= left)
            {
                kept.Add(group);
                left -= context.Tokens(group);
            }
        }

        return context.Assemble(kept);
    }

    private static string DefaultQuery(IReadOnlyList<ChatMessage> messages)
    {
        var users = messages.Where(m => m.Role == ChatRole.User && !string.IsNullOrWhiteSpace(m.Text)).ToList();
        return users.Count switch
        {
            0 => "",
            1 => users[0].Text,
            _ => users[0].Text + "\n" + users[^1].Text,
        };
    }

    private async Task<IReadOnlyList<ReadOnlyMemory<float>>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new ReadOnlyMemory<float>[texts.Count];
        var missing = new List<int>();
        lock (_gate)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                if (_cache.TryGetValue(texts[i], out var cached))
                {
                    vectors[i] = cached;
                }
                else
                {
                    missing.Add(i);
                }
            }
        }

        var fresh = await EmbeddingText.EmbedAsync(_embeddings, missing.Select(i => texts[i]).ToList(), cancellationToken);
        lock (_gate)
        {
            if (_cache.Count + fresh.Length > CacheLimit)
            {
                _cache.Clear();
            }

            for (var j = 0; j < missing.Count; j++)
            {
                vectors[missing[j]] = fresh[j];
                _cache[texts[missing[j]]] = fresh[j];
            }
        }

        return vectors;
    }
}
