namespace Cadre.Memory.Benchmarks;

/// <summary>One LoCoMo sample: a long conversation between two speakers and questions about it.</summary>
/// <param name="Id">The sample's id (<c>conv-26</c>).</param>
/// <param name="SpeakerA">The first speaker.</param>
/// <param name="SpeakerB">The second speaker.</param>
/// <param name="Turns">The turns in order, session by session.</param>
/// <param name="Questions">The questions that have evidence.</param>
public sealed record LocomoSample(string Id, string SpeakerA, string SpeakerB, IReadOnlyList<LocomoTurn> Turns, IReadOnlyList<LocomoQuestion> Questions)
{
    /// <summary>The turns as memories of a scope, in order: <c>speaker: text</c>, with the turn's <c>dia_id</c>, and
    /// its thread (this sample's session), position, speaker and session date under the <see cref="ConversationTurns"/>
    /// keys, so recall can use neighbouring turns.</summary>
    /// <param name="scope">Where to store them.</param>
    /// <returns>One memory draft per turn (new ids; times left for the store to set).</returns>
    public IReadOnlyList<MemoryRecord> ToMemories(MemoryScope scope) => Turns.Select(t => new MemoryRecord
    {
        Id = MemoryRecord.NewId(),
        Scope = scope,
        Text = $"{t.Speaker}: {t.Text}",
        Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dia_id"] = t.DiaId,
            [ConversationTurns.ThreadKey] = $"{Id}/{t.Session}",
            [ConversationTurns.TurnKey] = t.DiaId[(t.DiaId.IndexOf(':', StringComparison.Ordinal) + 1)..],
            [ConversationTurns.SpeakerKey] = t.Speaker,
            [ConversationTurns.DateKey] = t.SessionDate,
        },
        Source = new MemorySource("locomo"),
    }).ToList();
}
