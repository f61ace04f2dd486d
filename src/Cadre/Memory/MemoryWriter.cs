using System.Globalization;
using System.Text;
using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Memory;

/// <summary>
/// Writes long-term memory from conversation: a model reads a finished turn and extracts the durable facts and
/// preferences in it; each fact is compared with the closest existing memories and the model decides — add it, update
/// a memory with it, delete a memory it shows is no longer true, or nothing (already known). So "the client now
/// prefers Go" replaces "the client prefers Python" instead of contradicting it. Replies that cannot be used are
/// reported in <see cref="MemoryWriteReport.Problems"/> and fall back to the safe choice (a fact is added; exact
/// duplicates are never stored twice).
/// </summary>
public sealed class MemoryWriter
{
    private const string ExtractInstructions =
        "You maintain an assistant's long-term memory. From the conversation, extract the durable facts and preferences worth remembering in " +
        "later conversations: who the people and customers are, their preferences (how to contact them, languages, tools), commitments, " +
        "decisions and stable facts. Write each as one self-contained sentence that names who it is about (names and ids, not pronouns). Skip " +
        "small talk, passing details, what the assistant itself did, and anything true only for this conversation. Return no memories when " +
        "nothing is worth remembering.";

    private const string DecideInstructions =
        "You keep an assistant's long-term memory consistent. For each new fact, decide against the existing memories listed under it: " +
        "add (it is new), update (it refines or changes an existing memory: give that memory's number and the merged text), delete (it shows " +
        "an existing memory no longer holds and nothing of it needs keeping: give that memory's number), or none (it is already known). When " +
        "a fact replaces an older one (the client now prefers Go; the memory says they prefer Python), update that memory.";

    private readonly IChatClient _model;
    private readonly LongTermMemory _memory;

    /// <summary>Creates a writer; it keeps no state between turns, so one writer can serve several scopes.</summary>
    /// <param name="model">The model that extracts and decides.</param>
    /// <param name="memory">Where facts are compared and written; its embedder finds the closest memories.</param>
    /// <param name="options">Candidates per fact, limits, metadata.</param>
    public MemoryWriter(IChatClient model, LongTermMemory memory, MemoryWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(memory);
        _model = model;
        _memory = memory;
        Options = options ?? new MemoryWriterOptions();
    }

    /// <summary>Candidates per fact, relevance threshold, facts per turn and metadata; the defaults when none were
    /// given.</summary>
    public MemoryWriterOptions Options { get; }

    /// <summary>Reads a turn (or a whole conversation) and updates memory from it.</summary>
    /// <param name="turn">The messages (system messages are ignored).</param>
    /// <param name="scope">Where memories are read and written.</param>
    /// <param name="source">What to record as each memory's source.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>What changed and what could not be used.</returns>
    public async Task<MemoryWriteReport> WriteAsync(IReadOnlyList<ChatMessage> turn, MemoryScope scope, MemorySource? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(scope);
        source ??= new MemorySource("writer") { Kind = MemorySourceKind.Agent };
        var transcript = MessageText.Render(turn.Where(m => m.Role != ChatRole.System));
        if (transcript.Length == 0)
        {
            return new MemoryWriteReport([], []);
        }

        var problems = new List<string>();
        var (extracted, problem) = await StructuredReply.AskAsync<ExtractedMemories>(_model,
            [new(ChatRole.System, ExtractInstructions), new(ChatRole.User, transcript)], cancellationToken);
        if (extracted is null)
        {
            return new MemoryWriteReport([], [problem!]);
        }

        var facts = extracted.Memories
            .Where(m => !string.IsNullOrWhiteSpace(m.Text))
            .DistinctBy(m => MemoryRecord.FingerprintOf(m.Text))
            .Take(Options.MaxFacts)
            .ToList();
        if (facts.Count < extracted.Memories.Count(m => !string.IsNullOrWhiteSpace(m.Text)))
        {
            problems.Add($"the model returned {extracted.Memories.Count} memories; {facts.Count} distinct ones were kept");
        }

        // The closest existing memories of each fact, numbered once across all facts.
        var offered = new List<MemoryRecord>();
        var candidates = new List<List<int>>();
        foreach (var fact in facts)
        {
            var close = await _memory.RecallAsync(new MemoryQuery { Text = fact.Text, Scope = scope, K = Options.Candidates, MinRelevance = Options.MinRelevance }, cancellationToken);
            var numbers = new List<int>();
            foreach (var memory in close.Select(c => c.Record).Where(r => r.Scope == scope))
            {
                var number = offered.FindIndex(o => o.Id == memory.Id);
                if (number < 0)
                {
                    offered.Add(memory);
                    number = offered.Count - 1;
                }

                numbers.Add(number + 1);
            }

            candidates.Add(numbers);
        }

        var decisions = await DecideAsync(facts, candidates, offered, problems, cancellationToken);
        var changes = new List<MemoryChange>();
        for (var i = 0; i < facts.Count; i++)
        {
            changes.Add(await ApplyAsync(facts[i], decisions[i], candidates[i], offered, scope, source, problems, i + 1, cancellationToken));
        }

        return new MemoryWriteReport(changes, problems);
    }

    private async Task<MemoryDecision?[]> DecideAsync(List<ExtractedMemory> facts, List<List<int>> candidates, List<MemoryRecord> offered, List<string> problems, CancellationToken cancellationToken)
    {
        var decisions = new MemoryDecision?[facts.Count];
        if (candidates.All(c => c.Count == 0))
        {
            return decisions;
        }

        // Only facts with close memories need a decision; ids stay out of the prompt (numbers instead), so a recorded
        // cassette replays it.
        var prompt = new StringBuilder("New facts:\n");
        for (var i = 0; i < facts.Count; i++)
        {
            if (candidates[i].Count == 0)
            {
                continue;
            }

            prompt.Append(CultureInfo.InvariantCulture, $"{i + 1}. {facts[i].Text}\n   Existing memories close to it:\n");
            foreach (var number in candidates[i])
            {
                prompt.Append(CultureInfo.InvariantCulture, $"   [{number}] {offered[number - 1].Text}\n");
            }
        }

        var (reply, problem) = await StructuredReply.AskAsync<MemoryDecisions>(_model,
            [new(ChatRole.System, DecideInstructions), new(ChatRole.User, prompt.ToString().TrimEnd())], cancellationToken);
        if (reply is null)
        {
            problems.Add(problem + "; every fact was added");
            return decisions;
        }

        foreach (var decision in reply.Decisions)
        {
            if (decision.Fact < 1 || decision.Fact > facts.Count)
            {
                problems.Add($"a decision names fact {decision.Fact}, which does not exist; it was ignored");
                continue;
            }

            decisions[decision.Fact - 1] ??= decision;
        }

        return decisions;
    }

    private async Task<MemoryChange> ApplyAsync(
        ExtractedMemory fact,
        MemoryDecision? decision,
        List<int> candidates,
        List<MemoryRecord> offered,
        MemoryScope scope,
        MemorySource source,
        List<string> problems,
        int number,
        CancellationToken cancellationToken)
    {
        var action = decision?.Action ?? MemoryAction.Add;
        MemoryRecord? target = null;
        if (action is MemoryAction.Update or MemoryAction.Delete)
        {
            if (decision!.Memory is { } m && candidates.Contains(m))
            {
                target = offered[m - 1];
            }
            else
            {
                problems.Add($"the decision for fact {number} ({action.ToString().ToLowerInvariant()}) names memory {decision.Memory?.ToString(CultureInfo.InvariantCulture) ?? "none"}, which was not offered for it; the fact was added instead");
                action = MemoryAction.Add;
            }
        }

        // Memory poisoning: what a conversation, a model or a tool wrote never changes a trusted (operator) memory. The
        // fact is stored beside it, marked as contradicting it, and the report says so.
        var metadata = Metadata(fact, null);
        if (target is not null && target.Source?.Trust == MemoryTrust.Trusted && source.Trust != MemoryTrust.Trusted)
        {
            problems.Add($"fact {number} would {action.ToString().ToLowerInvariant()} {target.Id}, which the operator wrote; that memory was kept and the fact stored beside it as contradicting it");
            metadata["contradicts"] = target.Id;
            action = MemoryAction.Add;
            target = null;
        }

        var text = string.IsNullOrWhiteSpace(decision?.Text) ? fact.Text.Trim() : decision.Text.Trim();
        var importance = double.IsNaN(fact.Importance) ? 0.5 : Math.Clamp(fact.Importance, 0, 1);
        switch (action)
        {
            case MemoryAction.None:
                return new MemoryChange(MemoryChangeKind.Unchanged, fact.Text, null, null);
            case MemoryAction.Delete:
                await _memory.ForgetAsync(target!.Id, scope, cancellationToken);
                return new MemoryChange(MemoryChangeKind.Deleted, fact.Text, target, null);
            case MemoryAction.Update:
                var updated = await _memory.UpdateAsync(target!.Id, scope, text, Metadata(fact, target.Metadata), Math.Max(importance, target.Importance), cancellationToken);
                return updated.Status == MemoryWriteStatus.Updated
                    ? new MemoryChange(MemoryChangeKind.Updated, fact.Text, target, updated.Record)
                    : new MemoryChange(MemoryChangeKind.Unchanged, fact.Text, target, updated.Record);
            default:
                var stored = await _memory.StoreAsync(text, metadata, scope, importance, source, cancellationToken);
                return new MemoryChange(stored.Status == MemoryWriteStatus.Added ? MemoryChangeKind.Added : MemoryChangeKind.Unchanged, fact.Text, null, stored.Record);
        }
    }

    private Dictionary<string, string> Metadata(ExtractedMemory fact, IReadOnlyDictionary<string, string>? existing)
    {
        var metadata = new Dictionary<string, string>(existing ?? Options.Metadata, StringComparer.Ordinal);
        foreach (var (key, value) in Options.Metadata)
        {
            metadata[key] = value;
        }

        metadata["kind"] = string.Equals(fact.Kind, "preference", StringComparison.OrdinalIgnoreCase) ? "preference" : "fact";
        return metadata;
    }
}
