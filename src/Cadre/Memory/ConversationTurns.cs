namespace Cadre.Memory;

/// <summary>
/// The metadata that marks a memory as one turn of a conversation, so recall can use its neighbours: memories with the
/// same <see cref="ThreadKey"/> whose <see cref="TurnKey"/> differ by one are neighbouring turns. A turn that answers a
/// question rarely repeats the question's words; its neighbour does, and lends it part of its score
/// (<see cref="MemoryQuery.NeighbourWeight"/>). <c>cadre memory import</c> writes these keys for conversations.
/// </summary>
public static class ConversationTurns
{
    /// <summary>The metadata key naming the conversation (or session) a turn belongs to.</summary>
    public const string ThreadKey = "thread";

    /// <summary>The metadata key holding the turn's position in its thread (an integer, from 1).</summary>
    public const string TurnKey = "turn";

    /// <summary>The metadata key holding who said the turn.</summary>
    public const string SpeakerKey = "speaker";

    /// <summary>The metadata key holding when the turn's session took place, as written in the source.</summary>
    public const string DateKey = "date";

    /// <summary>A turn's thread and position, when its metadata has both.</summary>
    /// <returns>The thread and position, or null.</returns>
    public static (string Thread, int Turn)? PositionOf(MemoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Metadata.TryGetValue(ThreadKey, out var thread)
            && record.Metadata.TryGetValue(TurnKey, out var turn)
            && int.TryParse(turn, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var position)
            ? (thread, position)
            : null;
    }
}
