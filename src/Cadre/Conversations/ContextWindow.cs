using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// Fits what an agent sends to its model into a token budget: the budget, the token counter and the reducer that
/// decides what to drop (a <see cref="SlidingWindowReducer"/> unless another is given).
/// </summary>
public sealed class ContextWindow
{
    /// <summary>The default budget: 16,000 tokens.</summary>
    public const int DefaultMaxTokens = 16_000;

    /// <summary>Creates a window; with no arguments, 16,000 tokens counted by o200k_base and a sliding window.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is zero or negative.</exception>
    /// <param name="maxTokens">The budget in tokens for everything sent to the model.</param>
    /// <param name="counter">Counts tokens; <see cref="TokenCounter.Default"/> when null.</param>
    /// <param name="reducer">Decides what to drop; a <see cref="SlidingWindowReducer"/> of the same budget when null.</param>
    public ContextWindow(int maxTokens = DefaultMaxTokens, ITokenCounter? counter = null, IChatReducer? reducer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        MaxTokens = maxTokens;
        Counter = counter ?? TokenCounter.Default;
        Reducer = reducer ?? new SlidingWindowReducer(maxTokens, Counter);
    }

    /// <summary>The budget in tokens.</summary>
    public int MaxTokens { get; }

    /// <summary>Counts the tokens of what is fitted: the o200k_base tokenizer (<see cref="TokenCounter.Default"/>) unless
    /// another was given; the default reducer counts with it too.</summary>
    public ITokenCounter Counter { get; }

    /// <summary>The reducer that shortens the conversation when it no longer fits.</summary>
    public IChatReducer Reducer { get; }

    /// <summary>Fits <paramref name="messages"/> into the budget.</summary>
    /// <param name="messages">Everything the agent would send, system prompt first.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The messages to send.</returns>
    /// <exception cref="ContextBudgetExceededException">What may not be dropped does not fit.</exception>
    public Task<IReadOnlyList<ChatMessage>> FitAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default) =>
        FitAsync(messages, null, cancellationToken);

    /// <summary>Fits <paramref name="messages"/> into the budget, with the caller's summary store at hand for a reducer
    /// that summarises (<see cref="BudgetedChatReducer.ReduceAsync(IEnumerable{ChatMessage}, ISummaryStore?, CancellationToken)"/>).</summary>
    /// <param name="messages">Everything the agent would send, system prompt first.</param>
    /// <param name="summaries">Where the caller keeps conversation summaries (an agent's run: its workspace's); null
    /// when it keeps none.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The messages to send.</returns>
    /// <exception cref="ContextBudgetExceededException">What may not be dropped does not fit.</exception>
    public async Task<IReadOnlyList<ChatMessage>> FitAsync(IEnumerable<ChatMessage> messages, ISummaryStore? summaries, CancellationToken cancellationToken = default)
    {
        // Most calls are far below the budget: when a bound that needs no tokenizer already fits, nothing would be
        // dropped, so the messages are not counted at all.
        if (messages is IReadOnlyList<ChatMessage> list && FitsWithoutCounting(list))
        {
            return list;
        }

        var reduced = Reducer is BudgetedChatReducer reducer
            ? await reducer.ReduceAsync(messages, summaries, cancellationToken)
            : await Reducer.ReduceAsync(messages, cancellationToken);
        return reduced as IReadOnlyList<ChatMessage> ?? reduced.ToList();
    }

    /// <summary>Whether <paramref name="messages"/> surely fit the budget by a bound that needs no tokenizer (so
    /// <see cref="FitAsync(IEnumerable{ChatMessage}, CancellationToken)"/> would return them as they are).</summary>
    internal bool FitsWithoutCounting(IReadOnlyList<ChatMessage> messages) =>
        Reducer is BudgetedChatReducer { Counter: TokenCounter } budgeted && TokenBound.Fits(messages, budgeted.MaxTokens);

    /// <summary>Counts the tokens of <paramref name="messages"/>.</summary>
    public int CountTokens(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Sum(Counter.CountTokens);
    }
}
