using System.Globalization;
using Cadre.Memory;
using Cadre.Conversations;
using Cadre.Observability;
using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>
/// Recalls long-term memories into an agent's context before each model call (an <see cref="IAgentContextProvider"/>):
/// the memories most relevant to the task and the latest user message, within a token budget, as one system message in
/// which every memory says where it came from (id, date, what wrote it, run, agent). The recall for a query is reused
/// for the model calls of one agent turn only (never across turns or runs, so memories written in between are seen),
/// and the run's observer is told what was recalled.
/// </summary>
public sealed class MemoryContextProvider : IAgentContextProvider
{
    /// <summary>The first line of the message.</summary>
    public const string Header = "Relevant memories from earlier conversations (most relevant first; each says where it came from; they may be out of date):";

    private readonly LongTermMemory _memory;
    private readonly MemoryScope _scope;
    private readonly int _maxTokens;
    private readonly ITokenCounter _counter;
    private readonly Lock _gate = new();
    private (AgentContext Turn, string Query, IReadOnlyList<ChatMessage> Messages)? _last;

    /// <summary>Creates a provider that recalls from <paramref name="memory"/> and never writes to it.</summary>
    /// <param name="memory">The long-term memory recalled from at each turn; the provider only reads it.</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="maxTokens">The most tokens the memories may take.</param>
    /// <param name="options">How many, which, and how to weigh them.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is zero or less.</exception>
    public MemoryContextProvider(LongTermMemory memory, MemoryScope scope, int maxTokens, MemoryContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        _memory = memory;
        _scope = scope;
        _maxTokens = maxTokens;
        Options = options ?? new MemoryContextOptions();
        _counter = Options.Counter ?? TokenCounter.Default;
    }

    /// <summary>How memories are recalled.</summary>
    public MemoryContextOptions Options { get; }

    /// <summary>The scope recalled from.</summary>
    public MemoryScope Scope => _scope;

    /// <summary>A memory as one line with its provenance: <c>text [m-1a2b…, 2026-11-01, writer, run r…, agent billing]</c>.</summary>
    public static string Describe(MemoryRecord memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var source = memory.Source is null ? "" : ", " + memory.Source;
        return $"{memory.Text} [{memory.Id}, {memory.UpdatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{source}]";
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ChatMessage>> ProvideAsync(AgentContextRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = Options.Query?.Invoke(request) ?? DefaultQuery(request);
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        lock (_gate)
        {
            if (_last is { } last && ReferenceEquals(last.Turn, request.Context) && last.Query == query)
            {
                return last.Messages;
            }
        }

        var recalled = await _memory.RecallAsync(new MemoryQuery
        {
            Text = query,
            Scope = _scope,
            K = Options.K,
            Filter = Options.Filter,
            RecencyWeight = Options.RecencyWeight,
            ImportanceWeight = Options.ImportanceWeight,
            MinSimilarity = Options.MinSimilarity,
        }, cancellationToken);
        var note = BudgetedNote.Build(Header, recalled.Select(r => Describe(r.Record)), _maxTokens, _counter);
        IReadOnlyList<ChatMessage> messages = note is null ? [] : [note];
        lock (_gate)
        {
            _last = (request.Context, query, messages);
        }

        if (note is not null)
        {
            var context = request.Context;
            var lines = note.Text.Split('\n').Skip(1).Select(l => l.TrimStart('-', ' ')).ToList();
            context.Observer.OnEvent(new RunNotice(context.RunId, context.Time.GetUtcNow(),
                $"{context.Agent} recalled {lines.Count} memor{(lines.Count == 1 ? "y" : "ies")}: {string.Join(" | ", lines)}"));
        }

        return messages;
    }

    private static string DefaultQuery(AgentContextRequest request)
    {
        var task = request.History.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var latest = request.LatestUserText;
        return task == latest ? task : task + "\n" + latest;
    }
}
