namespace Cadre.Memory.Benchmarks;

/// <summary>One LoCoMo question with the turns that hold its answer.</summary>
/// <param name="Question">The question.</param>
/// <param name="Answer">The answer (for category 5, the adversarial answer).</param>
/// <param name="Evidence">The normalised ids of the evidence turns (at least one).</param>
/// <param name="Category">1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial.</param>
public sealed record LocomoQuestion(string Question, string Answer, IReadOnlyList<string> Evidence, int Category);
