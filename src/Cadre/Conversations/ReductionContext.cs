using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// A history prepared for a <see cref="BudgetedChatReducer"/>: split into groups that stay together, with each
/// group's token cost, which groups may never be dropped, and how many tokens the droppable groups may use.
/// </summary>
public sealed class ReductionContext
{
    private readonly bool[] _pinned;
    private readonly int[] _tokens;

    internal ReductionContext(IReadOnlyList<IReadOnlyList<ChatMessage>> groups, bool[] pinned, int[] tokens, int budget)
    {
        Groups = groups;
        _pinned = pinned;
        _tokens = tokens;
        Budget = budget;
    }

    /// <summary>The history's groups, oldest first.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Groups { get; }

    /// <summary>Tokens left for droppable groups once the pinned ones are counted.</summary>
    public int Budget { get; }

    /// <summary>Where the caller keeps conversation summaries (an agent's run: its workspace's), or null when it
    /// keeps none; a summarising reducer uses its own store when neither is given.</summary>
    public ISummaryStore? Summaries { get; internal init; }

    /// <summary>True when group <paramref name="index"/> may never be dropped (system prompt, latest user turn,
    /// the newest group).</summary>
    public bool IsPinned(int index) => _pinned[index];

    /// <summary>The tokens group <paramref name="index"/> costs.</summary>
    public int Tokens(int index) => _tokens[index];

    /// <summary>The indices of the groups that may be dropped, oldest first.</summary>
    public IEnumerable<int> Droppable => Enumerable.Range(0, Groups.Count).Where(i => !_pinned[i]);

    /// <summary>Builds the reduced history: the pinned groups and the <paramref name="kept"/> ones, in their original
    /// order, with <paramref name="insert"/> (a summary, say) placed after the leading system messages.</summary>
    /// <param name="kept">Indices of droppable groups to keep.</param>
    /// <param name="insert">Messages to add after the leading system messages, if any.</param>
    public IReadOnlyList<ChatMessage> Assemble(IEnumerable<int> kept, IReadOnlyList<ChatMessage>? insert = null)
    {
        var keep = new HashSet<int>(kept);
        var result = new List<ChatMessage>();
        var inserted = insert is null || insert.Count == 0;
        for (var i = 0; i < Groups.Count; i++)
        {
            var leadingSystem = Groups[i].Count == 1 && Groups[i][0].Role == ChatRole.System;
            if (!inserted && !leadingSystem)
            {
                result.AddRange(insert!);
                inserted = true;
            }

            if (_pinned[i] || keep.Contains(i))
            {
                result.AddRange(Groups[i]);
            }
        }

        if (!inserted)
        {
            result.AddRange(insert!);
        }

        return result;
    }
}
