using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// Base of Cadre's reducers: an <see cref="IChatReducer"/> (so it plugs into <c>ChatClientBuilder.UseChatReducer</c>)
/// that fits a history into a token budget counted with real tokenizers. The system prompt, the latest user
/// message and the newest group of messages are never dropped, and a tool call is never separated from its result;
/// subclasses decide which of the other groups to keep.
/// </summary>
public abstract class BudgetedChatReducer : IChatReducer
{
    /// <summary>Creates a reducer that fits histories into <paramref name="maxTokens"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is zero or negative.</exception>
    /// <param name="maxTokens">The budget: the reduced history costs at most this many tokens.</param>
    /// <param name="counter">Counts tokens; <see cref="TokenCounter.Default"/> when null.</param>
    protected BudgetedChatReducer(int maxTokens, ITokenCounter? counter)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        MaxTokens = maxTokens;
        Counter = counter ?? TokenCounter.Default;
    }

    /// <summary>The budget in tokens.</summary>
    public int MaxTokens { get; }

    /// <summary>Counts the tokens of every message reduced: the o200k_base tokenizer (<see cref="TokenCounter.Default"/>)
    /// unless another was given.</summary>
    public ITokenCounter Counter { get; }

    /// <inheritdoc />
    /// <exception cref="ContextBudgetExceededException">The messages that may not be dropped do not fit.</exception>
    public Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken) =>
        ReduceAsync(messages, null, cancellationToken);

    /// <summary>Shortens <paramref name="messages"/> until they fit, with the caller's summary store at hand.</summary>
    /// <param name="messages">The messages, system prompt first.</param>
    /// <param name="summaries">Where the caller keeps conversation summaries (<see cref="ReductionContext.Summaries"/>);
    /// null when it keeps none.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The messages to keep.</returns>
    /// <exception cref="ContextBudgetExceededException">The messages that may not be dropped do not fit.</exception>
    public async Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, ISummaryStore? summaries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var total = 0;
        foreach (var message in list)
        {
            total += Counter.CountTokens(message);
        }

        if (total <= MaxTokens)
        {
            return list;
        }

        var groups = MessageGroups.Split(list);
        var tokens = new int[groups.Count];
        var pinned = new bool[groups.Count];
        var lastUser = -1;
        for (var i = 0; i < groups.Count; i++)
        {
            foreach (var message in groups[i])
            {
                tokens[i] += Counter.CountTokens(message);
            }

            pinned[i] = groups[i].All(m => m.Role == ChatRole.System);
            if (groups[i][0].Role == ChatRole.User)
            {
                lastUser = i;
            }
        }

        if (lastUser >= 0)
        {
            pinned[lastUser] = true;
        }

        pinned[^1] = true;
        var pinnedTokens = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            pinnedTokens += pinned[i] ? tokens[i] : 0;
        }

        if (pinnedTokens > MaxTokens)
        {
            throw new ContextBudgetExceededException(MaxTokens, pinnedTokens);
        }

        var context = new ReductionContext(groups, pinned, tokens, MaxTokens - pinnedTokens) { Summaries = summaries };
        return await SelectAsync(context, cancellationToken);
    }

    /// <summary>Chooses what to keep. The result must cost at most <see cref="MaxTokens"/>; build it with
    /// <see cref="ReductionContext.Assemble"/>.</summary>
    protected abstract ValueTask<IReadOnlyList<ChatMessage>> SelectAsync(ReductionContext context, CancellationToken cancellationToken);
}
