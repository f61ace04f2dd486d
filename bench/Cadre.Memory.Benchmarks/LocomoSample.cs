namespace Cadre.Memory.Benchmarks;

/// <summary>One LoCoMo sample: a long conversation between two speakers and questions about it.</summary>
/// <param name="Id">The sample's id (<c>conv-26</c>).</param>
/// <param name="SpeakerA">The first speaker.</param>
/// <param name="SpeakerB">The second speaker.</param>
/// <param name="Turns">The turns in order, session by session.</param>
/// <param name="Questions">The questions that have evidence.</param>
public sealed record LocomoSample(string Id, string SpeakerA, string SpeakerB, IReadOnlyList<LocomoTurn> Turns, IReadOnlyList<LocomoQuestion> Questions);
