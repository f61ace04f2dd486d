using System.Diagnostics;
using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Memory.Benchmarks;

/// <summary>
/// Short-term memory on long conversations: each LoCoMo conversation becomes a chat history (speaker A as the user,
/// speaker B as the assistant) and each question (categories 1–4) a model call at its end. For every strategy — the full
/// history, the sliding window, the summarising reducer (with an offline stand-in summariser) and the relevance reducer
/// — it measures the tokens sent per call and how much of the question's evidence is sent whole.
/// </summary>
public static class ShortTermBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="dataset">The data.</param>
    /// <param name="budget">The context budget in tokens.</param>
    /// <param name="questionsPerSample">At most this many questions per conversation.</param>
    /// <param name="embeddings">The relevance reducer's embedder; the hashing embedder when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One result per strategy, the full history first.</returns>
    public static async Task<IReadOnlyList<ShortTermResult>> RunAsync(LocomoDataset dataset, int budget = 2_000, int questionsPerSample = 50, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? embeddings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var counter = TokenCounter.Default;
        var summarizer = new ExtractiveSummarizer();
        var summaries = new InMemorySummaryStore();
        var strategies = new (string Name, Func<string, IChatReducer?> Reducer)[]
        {
            ("full", _ => null),
            ("sliding-window", _ => new SlidingWindowReducer(budget, counter)),
            ("summarize", id => new SummarizingReducer(summarizer, budget, counter, new SummarizingReducerOptions { Store = summaries, ConversationId = _ => id })),
            ("relevance", _ => new RelevanceReducer(budget, counter, embeddings)),
        };
        var totals = strategies.ToDictionary(s => s.Name, _ => (Calls: 0, Tokens: 0.0, Evidence: 0.0, Ms: 0.0), StringComparer.Ordinal);
        foreach (var sample in dataset.Samples)
        {
            var history = new List<ChatMessage> { new(ChatRole.System, $"You answer questions about the conversation between {sample.SpeakerA} and {sample.SpeakerB}.") };
            var turnOf = new Dictionary<string, ChatMessage>(StringComparer.Ordinal);
            foreach (var turn in sample.Turns)
            {
                var message = new ChatMessage(turn.Speaker == sample.SpeakerB ? ChatRole.Assistant : ChatRole.User, $"{turn.Speaker}: {turn.Text}");
                history.Add(message);
                turnOf.TryAdd(turn.DiaId, message);
            }

            var reducers = strategies.Select(s => (s.Name, Reducer: s.Reducer(sample.Id))).ToList();
            foreach (var question in sample.Questions.Where(q => q.Category is >= 1 and <= 4).Take(questionsPerSample))
            {
                var call = new List<ChatMessage>(history) { new(ChatRole.User, question.Question) };
                foreach (var (name, reducer) in reducers)
                {
                    var started = Stopwatch.GetTimestamp();
                    var sent = reducer is null ? call : (await reducer.ReduceAsync(call, cancellationToken)).ToList();
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var kept = new HashSet<ChatMessage>(sent, ReferenceEqualityComparer.Instance);
                    var evidence = question.Evidence.Count(e => turnOf.TryGetValue(e, out var m) && kept.Contains(m)) / (double)question.Evidence.Count;
                    var t = totals[name];
                    totals[name] = (t.Calls + 1, t.Tokens + sent.Sum(counter.CountTokens), t.Evidence + evidence, t.Ms + ms);
                }
            }
        }

        return strategies.Select(s =>
        {
            var t = totals[s.Name];
            var calls = Math.Max(1, t.Calls);
            return new ShortTermResult(s.Name, t.Calls, t.Tokens / calls, t.Evidence / calls, s.Name == "summarize" ? summarizer.Calls : 0, t.Ms / calls);
        }).ToList();
    }
}
