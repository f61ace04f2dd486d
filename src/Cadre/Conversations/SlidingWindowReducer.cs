using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// Keeps the newest messages that fit the budget and drops the oldest, a whole tool call and its results at a time.
/// The system prompt and the latest user turn always stay.
/// </summary>
public sealed class SlidingWindowReducer : BudgetedChatReducer
{
    /// <summary>Creates a reducer that keeps the newest groups that fit <paramref name="maxTokens"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is zero or negative.</exception>
    /// <param name="maxTokens">The budget in tokens.</param>
    /// <param name="counter">Counts tokens; <see cref="TokenCounter.Default"/> when null.</param>
    public SlidingWindowReducer(int maxTokens, ITokenCounter? counter = null)
        : base(maxTokens, counter)
    {
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ChatMessage>> SelectAsync(ReductionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kept = new List<int>();
        var left = context.Budget;
        // Newest first; stop at the first group that does not fit, so the window stays contiguous.
        foreach (var i in context.Droppable.Reverse())
        {
            if (context.Tokens(i) > left)
            {
                break;
            }

            left -= context.Tokens(i);
            kept.Add(i);
        }

        return ValueTask.FromResult(context.Assemble(kept));
    }
}
