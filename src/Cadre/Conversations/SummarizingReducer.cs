using System.Security.Cryptography;
using System.Text;
using Cadre.Observability;
using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>
/// Keeps the newest turns that fit the budget and folds the older ones into a running summary written by a model,
/// sent as a system message after the instructions. The summary is stored with the conversation
/// (<see cref="ISummaryStore"/>) with the groups it covers: the next call reuses it and folds in only the turns that have
/// newly dropped out (a little more than must go, so the next calls reuse it), so the model is called once per batch
/// of dropped turns, not on every call. Tool calls stay with
/// their results: whole groups are folded or kept. When the summarising model fails, the older turns are dropped (as a
/// <see cref="SlidingWindowReducer"/> would) and the run's observer is told.
/// </summary>
/// <remarks>Unlike Microsoft.Extensions.AI's <c>SummarizingChatReducer</c>, it counts real tokens, keeps tool results
/// (in the summary or whole), and persists the summary across calls and processes.</remarks>
public sealed class SummarizingReducer : BudgetedChatReducer
{
    private const string Header = "Summary of the earlier conversation (older turns, folded in):\n";
    private readonly IChatClient _summarizer;
    private readonly InMemorySummaryStore _local = new();

    /// <summary>Creates a reducer that summarises with <paramref name="summarizer"/> what does not fit
    /// <paramref name="maxTokens"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is zero or negative, or a share in
    /// <paramref name="options"/> is out of its range.</exception>
    /// <param name="summarizer">The model that writes summaries.</param>
    /// <param name="maxTokens">The budget in tokens.</param>
    /// <param name="counter">Counts tokens; <see cref="TokenCounter.Default"/> when null.</param>
    /// <param name="options">Where summaries are kept and how big they may be.</param>
    public SummarizingReducer(IChatClient summarizer, int maxTokens, ITokenCounter? counter = null, SummarizingReducerOptions? options = null)
        : base(maxTokens, counter)
    {
        ArgumentNullException.ThrowIfNull(summarizer);
        _summarizer = summarizer;
        Options = options ?? new SummarizingReducerOptions();
        if (Options.SummaryShare is <= 0 or >= 1 || Options.FoldHeadroom is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "SummaryShare is a fraction between 0 and 1, FoldHeadroom one from 0 to 1.");
        }
    }

    /// <summary>How it keeps its summary.</summary>
    public SummarizingReducerOptions Options { get; }

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<ChatMessage>> SelectAsync(ReductionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var droppable = context.Droppable.ToList();
        var reserve = Math.Min(context.Budget, (int)(MaxTokens * Options.SummaryShare));
        var dropCount = droppable.Count - Newest(context, droppable, droppable.Count, context.Budget - reserve);
        if (dropCount == 0)
        {
            return context.Assemble(droppable);
        }

        var prefixHashes = PrefixHashes(context, droppable);
        var all = context.Groups.SelectMany(g => g).ToList();
        var conversation = ConversationIdOf(all);
        var store = Options.Store ?? context.Summaries ?? _local;
        var stored = await store.GetAsync(conversation, cancellationToken);
        string summary;
        if (stored is not null && stored.CoveredGroups <= droppable.Count && stored.CoveredGroups >= dropCount && stored.CoveredHash == prefixHashes[stored.CoveredGroups])
        {
            // The stored summary covers at least what must go: reuse it as it is.
            dropCount = stored.CoveredGroups;
            summary = stored.Text;
        }
        else
        {
            // Fold in a little more than must go, so the next calls reuse the summary.
            dropCount = droppable.Count - Newest(context, droppable, droppable.Count, (int)((context.Budget - reserve) * (1 - Options.FoldHeadroom)));
            var reuse = stored is not null && stored.CoveredGroups < dropCount && stored.CoveredHash == prefixHashes[stored.CoveredGroups];
            var from = reuse ? stored!.CoveredGroups : 0;
            var folded = await FoldAsync(reuse ? stored!.Text : null, droppable.Skip(from).Take(dropCount - from).Select(i => context.Groups[i]), reserve, cancellationToken);
            if (folded is null)
            {
                return context.Assemble(droppable.Skip(dropCount));
            }

            summary = folded;
            await store.SaveAsync(new ConversationSummary(conversation, dropCount, prefixHashes[dropCount], summary, (CallerContext.Current?.Time ?? TimeProvider.System).GetUtcNow()), cancellationToken);
        }

        var message = new ChatMessage(ChatRole.System, Header + summary);
        var left = context.Budget - Counter.CountTokens(message);
        if (left < 0)
        {
            message = new ChatMessage(ChatRole.System, Fit(Header + summary, context.Budget));
            left = context.Budget - Counter.CountTokens(message);
        }

        var keep = Newest(context, droppable, droppable.Count - dropCount, left);
        return context.Assemble(droppable.Skip(droppable.Count - keep), [message]);
    }

    /// <summary>How many of the newest of the last <paramref name="available"/> droppable groups fit in
    /// <paramref name="budget"/>, taken newest first without gaps.</summary>
    private static int Newest(ReductionContext context, List<int> droppable, int available, int budget)
    {
        var kept = 0;
        for (var j = droppable.Count - 1; j >= droppable.Count - available; j--)
        {
            var tokens = context.Tokens(droppable[j]);
            if (tokens > budget)
            {
                break;
            }

            budget -= tokens;
            kept++;
        }

        return kept;
    }

    private static string[] PrefixHashes(ReductionContext context, List<int> droppable)
    {
        var hashes = new string[droppable.Count + 1];
        hashes[0] = "";
        for (var j = 0; j < droppable.Count; j++)
        {
            hashes[j + 1] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashes[j] + MessageText.Hash(context.Groups[droppable[j]]))))[..32];
        }

        return hashes;
    }

    private string ConversationIdOf(IReadOnlyList<ChatMessage> messages)
    {
        if (Options.ConversationId is { } name)
        {
            return name(messages);
        }

        if (CallerContext.Current is { RunId.Length: > 0 } context)
        {
            return $"{context.RunId}/{context.Agent}";
        }

        var first = messages.FirstOrDefault(m => m.Role != ChatRole.System);
        return "h:" + MessageText.Hash(first is null ? [] : [first]);
    }

    private async Task<string?> FoldAsync(string? previous, IEnumerable<IReadOnlyList<ChatMessage>> groups, int maxTokens, CancellationToken cancellationToken)
    {
        var words = Math.Max(20, (int)(maxTokens * 0.6));
        var transcript = string.Join('\n', groups.Select(MessageText.Render));
        List<ChatMessage> request =
        [
            new(ChatRole.System, Options.Instructions.Replace("{words}", words.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            new(ChatRole.User, $"Summary so far:\n{previous ?? "(none)"}\n\nNew messages:\n{transcript}"),
        ];
        try
        {
            var response = await _summarizer.GetResponseAsync(request, new ChatOptions { Temperature = 0, MaxOutputTokens = maxTokens }, cancellationToken);
            var text = response.Text.Trim();
            return text.Length == 0 ? previous ?? "" : text;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (CallerContext.Current is { } context)
            {
                context.Observer.OnEvent(new RunNotice(context.RunId, context.Time.GetUtcNow(),
                    $"the summary of {context.Agent}'s older turns could not be written ({ex.Message}); they were dropped instead"));
            }

            return null;
        }
    }

    /// <summary>Cuts a text until its message fits <paramref name="budget"/> tokens.</summary>
    private string Fit(string text, int budget)
    {
        var low = 0;
        var high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Counter.CountTokens(new ChatMessage(ChatRole.System, text[..mid] + "…")) <= budget)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return text[..low] + "…";
    }
}
