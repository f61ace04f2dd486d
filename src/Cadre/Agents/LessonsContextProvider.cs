using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>
/// Starts an agent's work with the lessons of past episodes similar to the current task (the first user message of
/// the thread): an <see cref="IAgentContextProvider"/> that adds one system message, within a token budget, naming the
/// episode each lesson came from. The lessons are looked up once per agent turn and reused for
/// its model calls; a later turn or run looks again, so lessons recorded in between are seen.
/// </summary>
public sealed class LessonsContextProvider : IAgentContextProvider
{
    private readonly EpisodicMemory _memory;
    private readonly MemoryScope _scope;
    private readonly int _maxTokens;
    private readonly ITokenCounter _counter;
    private readonly int _episodes;
    private readonly Lock _gate = new();
    private (AgentContext Turn, string Task, IReadOnlyList<ChatMessage> Messages)? _last;

    /// <summary>Creates a provider that reads lessons from <paramref name="memory"/> and never records any.</summary>
    /// <param name="memory">The episodes to search for ones similar to the task; the provider only reads it.</param>
    /// <param name="scope">The reader's scope; what it does not see (<see cref="Cadre.Memory.MemoryScope.Sees"/>) is left out.</param>
    /// <param name="maxTokens">The most tokens the lessons may take.</param>
    /// <param name="counter">Counts tokens; <see cref="TokenCounter.Default"/> when null.</param>
    /// <param name="episodes">How many similar episodes to take lessons from (default 5).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is zero or less.</exception>
    public LessonsContextProvider(EpisodicMemory memory, MemoryScope scope, int maxTokens = 400, ITokenCounter? counter = null, int episodes = 5)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        _memory = memory;
        _scope = scope;
        _maxTokens = maxTokens;
        _counter = counter ?? TokenCounter.Default;
        _episodes = episodes;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ChatMessage>> ProvideAsync(AgentContextRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var task = request.History.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        if (task.Length == 0)
        {
            return [];
        }

        lock (_gate)
        {
            if (_last is { } last && ReferenceEquals(last.Turn, request.Context) && last.Task == task)
            {
                return last.Messages;
            }
        }

        var similar = await _memory.RecallSimilarAsync(task, _scope, _episodes, cancellationToken);
        var note = BudgetedNote.Build("Lessons from similar past tasks (most relevant first):", EpisodicMemory.LessonsOf(similar).Select(l => l.ToString()), _maxTokens, _counter);
        IReadOnlyList<ChatMessage> messages = note is null ? [] : [note];
        lock (_gate)
        {
            _last = (request.Context, task, messages);
        }

        return messages;
    }
}
