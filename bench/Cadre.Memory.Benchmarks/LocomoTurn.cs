namespace Cadre.Memory.Benchmarks;

/// <summary>One turn of a LoCoMo conversation.</summary>
/// <param name="DiaId">Its normalised id (<c>D3:7</c>: session 3, turn 7).</param>
/// <param name="Speaker">Who said it.</param>
/// <param name="Text">What was said (with the caption of a shared photo, if any).</param>
/// <param name="Session">The session number.</param>
/// <param name="SessionDate">When the session took place, as the dataset writes it.</param>
public sealed record LocomoTurn(string DiaId, string Speaker, string Text, int Session, string SessionDate);
